namespace DistTrain.Distributed.Tests.Harness;

/// <summary>How one worker process ended.</summary>
/// <param name="Rank">Its RANK.</param>
/// <param name="ExitCode">Its exit code (-1 when it was killed at the group's timeout).</param>
/// <param name="Output">Its standard output and error, interleaved as they arrived.</param>
/// <param name="KilledAtTimeout">Whether the harness killed it because the group outlived its timeout.</param>
public sealed record RankResult(int Rank, int ExitCode, string Output, bool KilledAtTimeout)
{
    /// <summary>The output lines.</summary>
    public IReadOnlyList<string> Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

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
