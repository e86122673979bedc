using DistTrain.Coordinator.Membership;
using DistTrain.Coordinator.Rendezvous;
using DistTrain.Coordinator.Tests.Support;

namespace DistTrain.Coordinator.Tests.Membership;

public sealed class HeartbeatMonitorTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Node_that_misses_three_heartbeats_is_declared_dead_and_the_round_reopens()
    {
        using var domain = new Domain(minNodes: 2, maxNodes: 2);
        await domain.CloseWith("a", "b");
        using var watch = domain.Rendezvous.Watch();

        for (var i = 0; i < 4; i++)
        {
            domain.Time.Advance(Interval);
            domain.Monitor.Heartbeat("a", round: 1);
            domain.Monitor.Sweep();
        }

        Assert.Equal((2, RoundState.Open), (domain.Rendezvous.Current.Round, domain.Rendezvous.Current.State));
        var died = Assert.IsType<NodeDiedEvent>(await watch.Events.ReadAsync());
        Assert.Equal("b", died.NodeId);
        Assert.Contains("missed 3 heartbeats", died.Reason);
    }

    [Fact]
    public async Task Node_silent_for_exactly_three_intervals_is_still_alive()
    {
        using var domain = new Domain(minNodes: 1, maxNodes: 1);
        await domain.CloseWith("a");
        domain.Monitor.Heartbeat("a", round: 1);

        domain.Time.Advance(Interval * 3);

        Assert.Empty(domain.Monitor.Sweep());
        domain.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(["a"], domain.Monitor.Sweep());
    }

    [Fact]
    public async Task Heartbeating_nodes_stay_alive()
    {
        using var domain = new Domain(minNodes: 2, maxNodes: 2);
        await domain.CloseWith("a", "b");

        for (var i = 0; i < 20; i++)
        {
            domain.Time.Advance(Interval);
            domain.Monitor.Heartbeat("a", round: 1);
            domain.Monitor.Heartbeat("b", round: 1);
            Assert.Empty(domain.Monitor.Sweep());
        }

        Assert.Equal(RoundState.Closed, domain.Rendezvous.Current.State);
    }

    [Fact]
    public async Task Heartbeat_tells_a_member_of_the_closed_round_to_carry_on()
    {
        using var domain = new Domain(minNodes: 1, maxNodes: 1);
        await domain.CloseWith("a");

        var result = domain.Monitor.Heartbeat("a", round: 1);

        Assert.Equal(new HeartbeatResult(1, RoundState.Closed, RejoinRequired: false), result);
    }

    [Fact]
    public async Task Heartbeat_from_a_node_declared_dead_says_it_must_rejoin()
    {
        using var domain = new Domain(minNodes: 1, maxNodes: 2);
        await domain.CloseWith("a", "b");
        domain.Rendezvous.DeclareDead("b", 1, "test");

        var result = domain.Monitor.Heartbeat("b", round: 1);

        Assert.True(result.RejoinRequired);
        Assert.Equal((2, RoundState.Open), (result.CurrentRound, result.State));
    }

    [Fact]
    public void Heartbeat_from_an_unknown_node_says_it_must_join()
    {
        using var domain = new Domain(minNodes: 1, maxNodes: 1);

        Assert.True(domain.Monitor.Heartbeat("stranger", round: 0).RejoinRequired);
    }

    [Fact]
    public async Task Members_are_given_three_intervals_from_the_moment_their_round_closed()
    {
        using var domain = new Domain(minNodes: 1, maxNodes: 1);
        await domain.CloseWith("a");

        domain.Time.Advance(Interval * 3);
        Assert.Empty(domain.Monitor.Sweep());

        domain.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["a"], domain.Monitor.Sweep());
    }
}
