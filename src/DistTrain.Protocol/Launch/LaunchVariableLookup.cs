using System.Globalization;
using System.Numerics;
using static DistTrain.Protocol.Launch.LaunchVariables;

namespace DistTrain.Protocol.Launch;

/// <summary>
/// Reads single <see cref="LaunchVariables"/> from a lookup (null: not set), with errors that name the
/// variable, show its value, give the rule and say what to do.
/// </summary>
/// <param name="lookup">The variables, for example <see cref="Environment.GetEnvironmentVariable(string)"/>.</param>
public sealed class LaunchVariableLookup(Func<string, string?> lookup)
{
    /// <summary>What a worker started without the launcher's environment should do, ending every message about a missing or invalid variable.</summary>
    internal static readonly string Advice =
        $"start the program with `disttrain run`, or set {Rank}, {LocalRank}, {WorldSize}, {LocalWorldSize}, {Coordinator}, {JobToken} and {StoreNamespace} (see docs/ENVIRONMENT.md)";

    private readonly Func<string, string?> _lookup = lookup ?? throw new ArgumentNullException(nameof(lookup));

    /// <summary>The variable's value without surrounding blanks; null when it is not set or blank.</summary>
    public string? Text(LaunchVariable variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        return _lookup(variable.Name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
    }

    /// <summary>The variable as a decimal integer from <paramref name="min"/> to <paramref name="max"/> (no limit when null); null when it is not set.</summary>
    /// <exception cref="LaunchVariableException">It is set to something else.</exception>
    public T? Integer<T>(LaunchVariable variable, T min, T? max = null)
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
    {
        var text = Text(variable);
        if (text is null) return null;
        var upper = max ?? T.MaxValue;
        if (!T.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > upper)
        {
            var range = upper == T.MaxValue ? $"an integer ≥ {min}" : $"an integer from {min} to {upper}";
            throw new LaunchVariableException(variable.Name, $"{variable} is '{text}', which is not {range}: {Advice}.");
        }

        return value;
    }

    /// <summary>The variable as a decimal integer of at least <paramref name="min"/>.</summary>
    /// <exception cref="LaunchVariableException">It is not set, or set to something else.</exception>
    public T Required<T>(LaunchVariable variable, T min)
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T> =>
        Integer(variable, min) ?? throw new LaunchVariableException(variable.Name, $"{variable} is not set: {Advice}.");
}
