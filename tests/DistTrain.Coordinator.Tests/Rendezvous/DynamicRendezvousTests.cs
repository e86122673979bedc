using DistTrain.Coordinator.Membership;
using DistTrain.Coordinator.Rendezvous;
using DistTrain.Coordinator.Tests.Support;

namespace DistTrain.Coordinator.Tests.Rendezvous;

public sealed class DynamicRendezvousTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Rendezvous_closes_at_once_when_max_nodes_joined()
    {
        using var domain = new Domain(minNodes: 1, maxNodes: 3);

        var world = await domain.CloseWith("a", "b", "c");

        Assert.Equal(1, world.Round);
        Assert.Equal(["a", "b", "c"], world.Nodes.Select(n => n.NodeId));
        Assert.Equal(RoundState.Closed, domain.Rendezvous.Current.State);
    }

    [Fact]
    public async Task Rendezvous_closes_at_min_nodes_after_last_call()
    {
        using var domain = new Domain(minNodes: 2, maxNodes: 4);
        var a = domain.Join("a");
        var b = domain.Join("b");

        domain.Time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(a.IsCompleted);

        domain.Time.Advance(TimeSpan.FromSeconds(1));

        var world = await a.WaitAsync(Soon);
        Assert.Equal(2, world.Nodes.Count);
        Assert.Same(world, await b.WaitAsync(Soon));
    }

    [Fact]
    public async Task Last_call_is_not_extended_by_later_joins()
    {
        using var domain = new Domain(minNodes: 2, maxNodes: 4);
        var a = domain.Join("a");
        _ = domain.Join("b");
        domain.Time.Advance(TimeSpan.FromSeconds(20));
        _ = domain.Join("c");

        domain.Time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(3, (await a.WaitAsync(Soon)).Nodes.Count);
    }

    [Fact]
    public async Task Round_below_min_nodes_does_not_close_and_the_join_times_out()
    {
        using var domain = new Domain(minNodes: 2, maxNodes: 2);
        var a = domain.Join("a");

        domain.Time.Advance(TimeSpan.FromSeconds(600));

        var error = await Assert.ThrowsAsync<RendezvousTimeoutException>(() => a);
        Assert.Contains("'a'", error.Message);
        Assert.Contains("1 node(s) joined, 2 needed", error.Message);
        Assert.Equal(0, domain.Rendezvous.Current.JoinedNodes);
    }

    [Fact]
    public async Task Every_participant_gets_the_same_world()
    {
        using var domain = new Domain(minNodes: 3, maxNodes: 3);

        var worlds = await Task.WhenAll(domain.Join("x", 2), domain.Join("y", 4), domain.Join("z", 1));

        Assert.All(worlds, w => Assert.Same(worlds[0], w));
        Assert.Equal("round-1", worlds[0].StoreNamespace);
    }

    [Fact]
    public async Task Global_ranks_are_prefix_sums_of_worker_counts_in_node_rank_order()
    {
        using var domain = new Domain(minNodes: 3, maxNodes: 3);

        var worlds = await Task.WhenAll(domain.Join("n2", 4), domain.Join("n0", 2), domain.Join("n1", 3));

        var world = worlds[0];
        Assert.Equal(9, world.WorldSize);
        Assert.Equal([("n0", 0, 0), ("n1", 1, 2), ("n2", 2, 5)], world.Nodes.Select(n => (n.NodeId, n.NodeRank, n.BaseRank)));
        Assert.Equal("n1.local", world.Nodes[1].Host);
    }

    [Fact]
    public async Task Surviving_nodes_keep_their_rank_and_a_new_node_fills_the_free_one()
    {
        using var domain = new Domain(minNodes: 3, maxNodes: 3);
        await domain.CloseWith("a", "b", "c");
        domain.Rendezvous.DeclareDead("b", 1, "test");

        var world = await domain.CloseWith("c", "a", "d");

        Assert.Equal(2, world.Round);
        Assert.Equal(["a", "d", "c"], world.Nodes.Select(n => n.NodeId));
    }

    [Fact]
    public async Task Node_arriving_after_the_round_closed_reopens_it_when_there_is_room()
    {
        using var domain = new Domain(minNodes: 1, maxNodes: 3);
        await domain.CloseWith("a");
        using var watch = domain.Rendezvous.Watch();

        var late = domain.Join("b");

        Assert.False(late.IsCompleted);
        var reopened = Assert.IsType<RoundReopenedEvent>(await watch.Events.ReadAsync().AsTask().WaitAsync(Soon));
        Assert.Equal((2, 1), (reopened.Round, reopened.PreviousRound));
        Assert.Contains("'b' asks to join", reopened.Reason);

        var rejoin = domain.Join("a", knownRound: 1);
        domain.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(["a", "b"], (await late.WaitAsync(Soon)).Nodes.Select(n => n.NodeId));
        Assert.Equal(2, (await rejoin.WaitAsync(Soon)).Round);
    }

    [Fact]
    public async Task Node_arriving_at_a_full_closed_round_waits_for_the_next_round()
    {
        using var domain = new Domain(minNodes: 2, maxNodes: 2);
        await domain.CloseWith("a", "b");

        var spare = domain.Join("c");
        Assert.False(spare.IsCompleted);
        Assert.Equal(RoundState.Closed, domain.Rendezvous.Current.State);

        domain.Rendezvous.DeclareDead("a", 1, "test");
        var world = await Task.WhenAll(spare, domain.Join("b", knownRound: 1)).WaitAsync(Soon);

        // b keeps its rank 1; c takes the free rank 0.
        Assert.Equal(["c", "b"], world[0].Nodes.Select(n => n.NodeId));
        Assert.Equal(2, world[0].Round);
    }

    [Fact]
    public async Task Member_joining_again_with_the_closed_round_opens_a_new_round()
    {
        using var domain = new Domain(minNodes: 1, maxNodes: 1);
        await domain.CloseWith("a");

        var world = await domain.Join("a", knownRound: 1).WaitAsync(Soon);

        Assert.Equal(2, world.Round);
        Assert.Equal("round-2", world.StoreNamespace);
    }

    [Fact]
    public async Task Retried_join_from_a_member_returns_the_same_world_without_a_new_round()
    {
        using var domain = new Domain(minNodes: 2, maxNodes: 2);
        var first = await domain.CloseWith("a", "b");

        var retried = await domain.Join("a", knownRound: 0).WaitAsync(Soon);

        Assert.Same(first, retried);
        Assert.Equal((1, RoundState.Closed), (domain.Rendezvous.Current.Round, domain.Rendezvous.Current.State));
    }

    [Theory]
    [InlineData(0, "(0) must be between 1 and 1024")]
    [InlineData(-3, "(-3) must be between 1 and 1024")]
    [InlineData(1025, "(1025) must be between 1 and 1024")]
    public async Task Join_with_an_impossible_worker_count_is_rejected_with_the_value_and_the_rule(int workers, string expected)
    {
        using var domain = new Domain(minNodes: 1, maxNodes: 1);

        var error = await Assert.ThrowsAsync<InvalidJoinException>(() => domain.Join("a", workers));

        Assert.Contains(expected, error.Message);
        Assert.Equal(0, domain.Rendezvous.Current.JoinedNodes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public async Task Join_with_an_empty_node_id_is_rejected(string nodeId)
    {
        using var domain = new Domain(minNodes: 1, maxNodes: 1);

        var error = await Assert.ThrowsAsync<InvalidJoinException>(() => domain.Join(nodeId));

        Assert.Contains("must not be empty", error.Message);
    }

    [Fact]
    public async Task Cancelled_join_withdraws_the_node_from_the_open_round()
    {
        using var domain = new Domain(minNodes: 2, maxNodes: 2);
        using var cts = new CancellationTokenSource();
        var a = domain.Join("a", cancellationToken: cts.Token);

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => a);
        var b = domain.Join("b");

        Assert.False(b.IsCompleted);
        Assert.Equal(1, domain.Rendezvous.Current.JoinedNodes);
    }

    [Fact]
    public async Task Leaving_member_reopens_the_round_and_watchers_learn_why()
    {
        using var domain = new Domain(minNodes: 1, maxNodes: 2);
        await domain.CloseWith("a", "b");
        using var watch = domain.Rendezvous.Watch();

        Assert.True(domain.Rendezvous.Leave("b", "finished"));

        var left = Assert.IsType<NodeLeftEvent>(await watch.Events.ReadAsync());
        var reopened = Assert.IsType<RoundReopenedEvent>(await watch.Events.ReadAsync());
        Assert.Equal(("b", "finished"), (left.NodeId, left.Reason));
        Assert.Contains("'b' left: finished", reopened.Reason);
        Assert.False(domain.Rendezvous.Leave("b", "again"));
    }

    [Fact]
    public async Task Leaving_while_waiting_fails_the_pending_join()
    {
        using var domain = new Domain(minNodes: 2, maxNodes: 2);
        var a = domain.Join("a");

        domain.Rendezvous.Leave("a", "shutting down");

        var error = await Assert.ThrowsAsync<NodeRemovedException>(() => a);
        Assert.Contains("shutting down", error.Message);
    }

    [Fact]
    public async Task Watch_starts_with_the_current_state_then_sends_events_in_order()
    {
        using var domain = new Domain(minNodes: 1, maxNodes: 1);
        using var watch = domain.Rendezvous.Watch();
        Assert.Equal((1, RoundState.Open), (watch.Snapshot.Round, watch.Snapshot.State));

        await domain.CloseWith("a");
        domain.Rendezvous.DeclareDead("a", 1, "missed 3 heartbeats");

        Assert.IsType<RoundClosedEvent>(await watch.Events.ReadAsync());
        Assert.Equal("missed 3 heartbeats", Assert.IsType<NodeDiedEvent>(await watch.Events.ReadAsync()).Reason);
        Assert.Equal(2, Assert.IsType<RoundReopenedEvent>(await watch.Events.ReadAsync()).Round);
    }

    [Fact]
    public async Task Death_declared_for_an_earlier_round_is_ignored()
    {
        using var domain = new Domain(minNodes: 1, maxNodes: 1);
        await domain.CloseWith("a");
        await domain.Join("a", knownRound: 1).WaitAsync(Soon);

        Assert.False(domain.Rendezvous.DeclareDead("a", 1, "stale"));
        Assert.Equal((2, RoundState.Closed), (domain.Rendezvous.Current.Round, domain.Rendezvous.Current.State));
    }

    [Fact]
    public async Task Closing_a_round_gives_it_a_fresh_store_namespace()
    {
        using var domain = new Domain(minNodes: 1, maxNodes: 1);
        var first = await domain.CloseWith("a");
        domain.Stores.Get(first.StoreNamespace).Set("k", [1]);

        var second = await domain.Join("a", knownRound: 1).WaitAsync(Soon);

        Assert.False(domain.Stores.Get(second.StoreNamespace).Check(["k"]));
    }

    [Fact]
    public async Task Hundreds_of_concurrent_joins_all_get_one_world_with_distinct_contiguous_ranks()
    {
        using var domain = new Domain(minNodes: 300, maxNodes: 300);

        var worlds = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => Task.Run(() => domain.Join($"n{i:D3}", 1 + (i % 4))))).WaitAsync(Soon);

        Assert.All(worlds, w => Assert.Same(worlds[0], w));
        Assert.Equal(Enumerable.Range(0, 300), worlds[0].Nodes.Select(n => n.NodeRank));
        Assert.Equal(worlds[0].WorldSize, worlds[0].Nodes[^1].BaseRank + worlds[0].Nodes[^1].LocalWorldSize);
    }
}
