namespace DistTrain.Distributed.Tests.Harness;

/// <summary>How one worker process ended.</summary>
/// <param name="Rank">Its RANK.</param>
/// <param name="ExitCode">Its exit code (-1 when it was killed at the group's timeout).</param>
/// <param name="Output">Its standard output and error, interleaved as they arrived.</param>
/// <param name="StandardOutput">Its standard output alone, in order (the two pipes' lines interleave in no guaranteed order).</param>
/// <param name="KilledAtTimeout">Whether the harness killed it because the group outlived its timeout.</param>
public sealed record RankResult(int Rank, int ExitCode, string Output, string StandardOutput, bool KilledAtTimeout)
{
    /// <summary>The output lines, both pipes.</summary>
    public IReadOnlyList<string> Lines => SplitLines(Output);

    /// <summary>The standard output's lines alone, for asserting on what came first.</summary>
    public IReadOnlyList<string> StandardOutputLines => SplitLines(StandardOutput);

    private static string[] SplitLines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <inheritdoc />
    public override string ToString() => $"--- rank {Rank}: exit {ExitCode}{(KilledAtTimeout ? " (killed at timeout)" : "")}\n{Output}";
}

/// <summary>How every worker of a group ended.</summary>
public sealed record GroupResult(IReadOnlyList<RankResult> Ranks, TimeSpan Elapsed)
{
    /// <summary>Every rank's output, for assertion messages.</summary>
    public override string ToString() => string.Join("\n", Ranks);

    /// <summary>Fails (showing every rank's output) unless every rank exited with 0.</summary>
    public GroupResult AssertAllPassed()
    {
        Assert.True(Ranks.All(r => r.ExitCode == 0), $"not every rank passed:\n{this}");
        return this;
    }
}
