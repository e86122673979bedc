using System.Globalization;
using DistTrain.Distributed.Tests.Harness;

namespace DistTrain.Distributed.Tests.Failures;

/// <summary>A collective never hangs silently: a silent peer gives a timeout error at the timeout, a dead or departed peer a failure at once, both naming the collective and the rank.</summary>
public sealed class FailureTests
{
    [Theory]
    [MemberData(nameof(Collectives.CollectiveTests.RanksAndTransports), MemberType = typeof(Collectives.CollectiveTests))]
    public async Task A_rank_that_never_calls_makes_the_others_fail_at_the_timeout_naming_collective_rank_wait_and_the_silent_rank(int ranks, string transport)
    {
        const double timeout = 3;
        var options = Transport.Select(transport, new WorkerGroupOptions { Arguments = [timeout.ToString(CultureInfo.InvariantCulture)] });
        var result = (await WorkerGroup.RunAsync("collective-timeout", ranks, options)).AssertAllPassed();
        Assert.All(result.Ranks, r => Assert.Contains(Transport.Line(transport), r.Lines));
        foreach (var rank in result.Ranks.SkipLast(1))
        {
            Assert.Contains(rank.Lines, l => l.StartsWith($"exception: all_reduce on rank {rank.Rank} of {ranks} ({Transport.SumLabel(transport)}) timed out after waiting", StringComparison.Ordinal)
                                             && l.Contains("(timeout 3 s)", StringComparison.Ordinal)
                                             && l.Contains($"waiting for rank {ranks - 1}", StringComparison.Ordinal));
            var waited = Seconds(rank, "waited: ");
            Assert.InRange(waited, timeout - 0.1, timeout + 10); // the error comes at the timeout, not much later
            // Afterwards the group fails at once rather than waiting a timeout again.
            Assert.Contains(rank.Lines, l => l.StartsWith("next: CollectiveException:", StringComparison.Ordinal));
            Assert.True(Seconds(rank, "next failed after: ") < timeout, result.ToString());
        }
    }

    [Theory]
    [MemberData(nameof(Collectives.CollectiveTests.RanksAndTransports), MemberType = typeof(Collectives.CollectiveTests))]
    public async Task A_peer_killed_mid_collective_makes_the_others_fail_at_once_saying_the_peer_is_gone(int ranks, string transport)
    {
        var result = await WorkerGroup.RunAsync("peer-killed", ranks, Transport.Select(transport));
        Assert.NotEqual(0, result.Ranks[^1].ExitCode); // really killed
        AssertPeerLostNoticedAtOnce(result, ranks, transport);
    }

    [Theory]
    [MemberData(nameof(Collectives.CollectiveTests.RanksAndTransports), MemberType = typeof(Collectives.CollectiveTests))]
    public async Task A_peer_that_disposes_its_group_makes_the_others_fail_at_once(int ranks, string transport)
    {
        var result = (await WorkerGroup.RunAsync("peer-left", ranks, Transport.Select(transport))).AssertAllPassed();
        Assert.Contains("disposed my process group and stayed alive", result.Ranks[^1].Lines);
        AssertPeerLostNoticedAtOnce(result, ranks, transport);
    }

    private static void AssertPeerLostNoticedAtOnce(GroupResult result, int ranks, string transport)
    {
        foreach (var rank in result.Ranks.SkipLast(1))
        {
            Assert.True(rank.ExitCode == 0, result.ToString());
            Assert.Contains(Transport.Line(transport), rank.Lines);
            Assert.Contains(rank.Lines, l => l.StartsWith($"exception: CollectivePeerLostException: all_reduce on rank {rank.Rank} of {ranks} ({Transport.SumLabel(transport)}) failed", StringComparison.Ordinal)
                                             && l.Contains("a peer is gone", StringComparison.Ordinal)
                                             && l.Contains($"rank {ranks - 1}", StringComparison.Ordinal));
            var waited = Seconds(rank, "waited: ");
            Assert.True(waited < 15, $"rank {rank.Rank} took {waited} s to notice (the collective's timeout is 120 s)\n{result}");
        }
    }

    private static double Seconds(RankResult rank, string prefix) =>
        double.Parse(rank.Lines.Single(l => l.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..], CultureInfo.InvariantCulture);
}
