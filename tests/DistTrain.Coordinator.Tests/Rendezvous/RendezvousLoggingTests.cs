using DistTrain.Coordinator.Tests.Support;
using Microsoft.Extensions.Logging;

namespace DistTrain.Coordinator.Tests.Rendezvous;

public sealed class RendezvousLoggingTests
{
    [Fact]
    public async Task Log_says_who_joined_which_round_closed_with_whom_and_who_died_and_why()
    {
        using var domain = new Domain(minNodes: 2, maxNodes: 2);
        await domain.CloseWith("alpha", "beta");
        domain.Rendezvous.DeclareDead("beta", 1, "missed 3 heartbeats");

        var entries = domain.Log.Entries;
        var joined = entries.Where(e => e.Message.StartsWith("Node alpha joined round 1", StringComparison.Ordinal)).ToList();
        var closed = Assert.Single(entries, e => e.Message.StartsWith("Round 1 closed", StringComparison.Ordinal));
        var died = Assert.Single(entries, e => e.Level == LogLevel.Warning && e.Message.Contains("declared dead", StringComparison.Ordinal));

        Assert.Equal("alpha", Assert.Single(joined).Fields["NodeId"]);
        Assert.Equal(1L, closed.Fields["Round"]);
        Assert.Contains("alpha=0, beta=1", closed.Message);
        Assert.Equal("beta", died.Fields["NodeId"]);
        Assert.Contains("missed 3 heartbeats", died.Message);
        Assert.Contains(entries, e => e.Message.Contains("round 2 is open because node 'beta' died", StringComparison.Ordinal));
    }
}
