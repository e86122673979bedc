using System.Globalization;

namespace DistTrain.Coordinator.Hosting;

/// <summary>torchrun's <c>--nnodes</c> value: <c>N</c> or <c>MIN:MAX</c>.</summary>
/// <param name="Min">The minimum number of nodes.</param>
/// <param name="Max">The maximum number of nodes.</param>
public readonly record struct NodeRange(int Min, int Max)
{
    /// <summary>Parses <c>N</c> or <c>MIN:MAX</c>.</summary>
    /// <exception cref="FormatException">The text is neither; the message shows it and the expected form.</exception>
    public static NodeRange Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':');
        if (parts.Length is 1 or 2 && parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            var min = int.Parse(parts[0], CultureInfo.InvariantCulture);
            var max = int.Parse(parts[^1], CultureInfo.InvariantCulture);
            return new NodeRange(min, max);
        }

        throw new FormatException($"The number of nodes ('{text}') must be N or MIN:MAX, for example 2 or 1:4.");
    }

    /// <inheritdoc />
    public override string ToString() => Min == Max ? Min.ToString(CultureInfo.InvariantCulture) : $"{Min}:{Max}";
}
