using System.Globalization;

namespace DistTrain.Launcher.Tests.Support;

/// <summary>The "step ids" lines checkpoint-train writes per rank (OUT/ids-rank-R.txt), and its "resume S" lines, one per start.</summary>
internal static class StepRecords
{
    private static string[] Lines(string output, int rank)
    {
        var file = Path.Combine(output, $"ids-rank-{rank}.txt");
        if (!File.Exists(file))
            return [];
        using var reader = new StreamReader(new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The step each start of the rank resumed at, in order.</summary>
    public static List<long> Resumes(string output, int rank) =>
        [.. Lines(output, rank).Where(l => l.StartsWith("resume ", StringComparison.Ordinal)).Select(l => long.Parse(l[7..], CultureInfo.InvariantCulture))];

    /// <summary>
    /// The last step the rank's current start has begun (-1 before its second "step ids" line), read while the rank
    /// may still be writing: the last line may be cut short, so it is the step after the line before it (steps are consecutive).
    /// </summary>
    public static long LastStepBegun(string output, int rank)
    {
        var lines = Lines(output, rank);
        var sinceResume = lines[(Array.FindLastIndex(lines, l => l.StartsWith("resume ", StringComparison.Ordinal)) + 1)..];
        return sinceResume.Length < 2 ? -1 : long.Parse(sinceResume[^2].Split(' ', 2)[0], CultureInfo.InvariantCulture) + 1;
    }

    /// <summary>Step → the ids the rank trained on in it, as trained last (a step redone after a resume replaces the first try).</summary>
    public static SortedDictionary<long, long[]> Effective(string output, int rank)
    {
        var steps = new SortedDictionary<long, long[]>();
        foreach (var line in Lines(output, rank).Where(l => !l.StartsWith("resume ", StringComparison.Ordinal)))
        {
            var parts = line.Split(' ', 2);
            var step = long.Parse(parts[0], CultureInfo.InvariantCulture);
            steps[step] = parts.Length < 2 || parts[1].Length == 0 ? [] : [.. parts[1].Split(',').Select(id => long.Parse(id, CultureInfo.InvariantCulture))];
        }

        return steps;
    }
}
