using System.Globalization;
using DistTrain.Distributed.Tests.Harness;

namespace DistTrain.Distributed.Tests.Failures;

/// <summary>A collective never hangs silently: a silent peer gives a timeout error, a dead peer a failure, both naming the collective and the rank.</summary>
public sealed class FailureTests
{
    [Theory]
    [InlineData(2, Transport.SharedMemory)]
    [InlineData(3, Transport.SharedMemory)]
    [InlineData(2, Transport.Gloo)]
    [InlineData(3, Transport.Gloo)]
    public async Task A_rank_that_skips_a_collective_makes_the_others_fail_with_a_timeout_naming_collective_rank_and_wait(int ranks, string transport)
    {
        const double timeout = 3;
        var options = Transport.Select(transport, new WorkerGroupOptions { Arguments = [timeout.ToString(CultureInfo.InvariantCulture)] });
        var result = (await WorkerGroup.RunAsync("collective-timeout", ranks, options)).AssertAllPassed();
        Assert.All(result.Ranks, r => Assert.Contains(Transport.Line(transport), r.Lines));
        foreach (var rank in result.Ranks.SkipLast(1))
        {
            Assert.Contains(rank.Lines, l => l.StartsWith($"exception: all_reduce timed out on rank {rank.Rank} of {ranks}", StringComparison.Ordinal));
            var waited = double.Parse(rank.Lines.Single(l => l.StartsWith("waited: ", StringComparison.Ordinal))["waited: ".Length..], CultureInfo.InvariantCulture);
            Assert.InRange(waited, timeout - 0.1, timeout + 5); // the error comes at the timeout, not later
        }
    }

    [Theory]
    [InlineData(2, Transport.SharedMemory, "a peer's process exited")]
    [InlineData(3, Transport.SharedMemory, "a peer's process exited")]
    [InlineData(2, Transport.Gloo, "a peer closed its connection")]
    [InlineData(3, Transport.Gloo, "a peer closed its connection")]
    public async Task A_peer_killed_mid_collective_makes_the_others_fail_quickly_saying_the_peer_is_gone(int ranks, string transport, string saying)
    {
        var result = await WorkerGroup.RunAsync("peer-killed", ranks, Transport.Select(transport));
        Assert.NotEqual(0, result.Ranks[^1].ExitCode); // really killed
        foreach (var rank in result.Ranks.SkipLast(1))
        {
            Assert.True(rank.ExitCode == 0, result.ToString());
            Assert.Contains(Transport.Line(transport), rank.Lines);
            Assert.Contains(rank.Lines, l => l.StartsWith($"exception: CollectiveException: all_reduce failed on rank {rank.Rank} of {ranks}", StringComparison.Ordinal)
                                             && l.Contains(saying, StringComparison.Ordinal));
            var waited = double.Parse(rank.Lines.Single(l => l.StartsWith("waited: ", StringComparison.Ordinal))["waited: ".Length..], CultureInfo.InvariantCulture);
            Assert.True(waited < 15, $"rank {rank.Rank} took {waited} s to notice (the collective's timeout is 120 s)");
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task A_peer_that_closes_its_group_makes_the_others_fail_at_once_through_shared_memory(int ranks)
    {
        var result = (await WorkerGroup.RunAsync("peer-left", ranks)).AssertAllPassed();
        foreach (var rank in result.Ranks.SkipLast(1))
        {
            Assert.Contains(rank.Lines, l => l.StartsWith($"exception: CollectiveException: all_reduce failed on rank {rank.Rank} of {ranks}", StringComparison.Ordinal)
                                             && l.Contains($"rank {ranks - 1} left the shared-memory all_reduce", StringComparison.Ordinal));
            var waited = double.Parse(rank.Lines.Single(l => l.StartsWith("waited: ", StringComparison.Ordinal))["waited: ".Length..], CultureInfo.InvariantCulture);
            Assert.True(waited < 15, $"rank {rank.Rank} took {waited} s to notice (the collective's timeout is 120 s)");
        }
    }
}
