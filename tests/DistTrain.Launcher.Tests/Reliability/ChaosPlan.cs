using System.Globalization;

namespace DistTrain.Launcher.Tests.Reliability;

/// <summary>The kills of a chaos run, drawn from a seed: distinct steps in increasing order, each with the rank to kill there.</summary>
internal sealed record ChaosPlan(IReadOnlyList<(long Step, int Rank)> Kills)
{
    /// <summary>
    /// <paramref name="count"/> distinct steps in [<paramref name="firstStep"/>, <paramref name="lastStep"/>], sorted, each
    /// with a rank of 2, drawn from <paramref name="seed"/> (the same seed, the same plan).
    /// </summary>
    public static ChaosPlan Draw(int seed, int count, long firstStep, long lastStep)
    {
        var random = new Random(seed);
        var steps = new SortedSet<long>();
        while (steps.Count < count)
            steps.Add(random.NextInt64(firstStep, lastStep + 1));
        return new ChaosPlan([.. steps.Select(step => (step, random.Next(2)))]);
    }

    /// <inheritdoc />
    public override string ToString() =>
        "kills (step:rank) " + string.Join(' ', Kills.Select(k => string.Create(CultureInfo.InvariantCulture, $"{k.Step}:{k.Rank}")));
}
