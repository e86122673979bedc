using DistTrain.Coordinator.Membership;
using DistTrain.Coordinator.Rendezvous;
using DistTrain.Coordinator.Tests.Support;
using DistTrain.Protocol.V1;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RoundState = DistTrain.Protocol.V1.RoundState;

namespace DistTrain.Coordinator.Tests.Service;

public sealed class RendezvousServiceTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Join_over_grpc_gives_every_node_the_same_world()
    {
        await using var server = await TestServer.StartAsync(minNodes: 2, maxNodes: 2);

        var worlds = await Task.WhenAll(
            server.Client().JoinAsync("node-b", 2, "hostb"),
            server.Client().JoinAsync("node-a", 4, "hosta")).WaitAsync(Soon);

        Assert.Equal(worlds[0], worlds[1]);
        var world = worlds[0];
        Assert.Equal((1ul, 6, "round-1"), (world.Round, world.WorldSize, world.StoreNamespace));
        Assert.Equal([("node-a", 0, 0, 4, "hosta"), ("node-b", 1, 4, 2, "hostb")],
            world.Nodes.Select(n => (n.NodeId, n.NodeRank, n.BaseRank, n.LocalWorldSize, n.Host)));
        Assert.Equal((TimeSpan.FromSeconds(5), 3), (world.HeartbeatInterval.ToTimeSpan(), world.HeartbeatMisses));
    }

    [Fact]
    public async Task Join_without_a_host_uses_the_address_the_call_came_from()
    {
        await using var server = await TestServer.StartAsync();

        var world = await server.Client().JoinAsync("solo", 1).WaitAsync(Soon);

        Assert.Equal("127.0.0.1", world.Nodes[0].Host);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5000)]
    public async Task Join_with_an_impossible_worker_count_is_invalid_argument_and_others_still_join(int workers)
    {
        await using var server = await TestServer.StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => server.Client().JoinAsync("bad", workers));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains($"({workers}) must be between 1 and 1024", error.Status.Detail);
        Assert.Equal(1ul, (await server.Client().JoinAsync("good", 1).WaitAsync(Soon)).Round);
    }

    [Fact]
    public async Task Join_that_outlives_the_join_timeout_is_deadline_exceeded()
    {
        await using var server = await TestServer.StartAsync(minNodes: 2, maxNodes: 2, o => o.Rendezvous.JoinTimeout = TimeSpan.FromMilliseconds(200));

        var error = await Assert.ThrowsAsync<RpcException>(() => server.Client().JoinAsync("lonely", 1));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Contains("1 node(s) joined, 2 needed", error.Status.Detail);
    }

    [Fact]
    public async Task Heartbeat_over_grpc_tells_a_member_to_carry_on_and_a_stranger_to_join()
    {
        await using var server = await TestServer.StartAsync();
        var client = server.Client();
        await client.JoinAsync("a", 1).WaitAsync(Soon);

        var member = await client.HeartbeatAsync("a", 1);
        var stranger = await client.HeartbeatAsync("zed", 1);

        Assert.Equal((1ul, RoundState.Closed, false), (member.CurrentRound, member.State, member.RejoinRequired));
        Assert.True(stranger.RejoinRequired);
    }

    [Fact]
    public async Task Watch_starts_with_a_snapshot_and_reports_a_leave_and_the_reopened_round()
    {
        await using var server = await TestServer.StartAsync(minNodes: 1, maxNodes: 2);
        var client = server.Client();
        using var cts = new CancellationTokenSource(Soon);
        await using var watch = client.WatchAsync("observer", cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await watch.MoveNextAsync());
        Assert.Equal((RoundState.Open, 0), (watch.Current.Snapshot.State, watch.Current.Snapshot.JoinedNodes));

        await Task.WhenAll(client.JoinAsync("a", 1), client.JoinAsync("b", 1));
        Assert.True(await client.LeaveAsync("b", "finished"));

        var events = new List<WatchEvent>();
        for (var i = 0; i < 3 && await watch.MoveNextAsync(); i++)
        {
            events.Add(watch.Current);
        }

        Assert.Equal([WatchEvent.EventOneofCase.RoundClosed, WatchEvent.EventOneofCase.NodeLeft, WatchEvent.EventOneofCase.RoundReopened],
            events.Select(e => e.EventCase));
        Assert.Equal(("b", "finished"), (events[1].NodeLeft.NodeId, events[1].NodeLeft.Reason));
        Assert.Equal(2ul, events[2].Round);
    }

    [Fact]
    public async Task Watchers_learn_of_a_death_as_soon_as_it_is_detected()
    {
        var time = new FakeTimeProvider();
        await using var server = await TestServer.StartAsync(minNodes: 1, maxNodes: 1, time: time);
        // The sweeper is a BackgroundService, started on the thread pool: fake time advanced before its
        // timer exists would be lost, so wait (real time) until it is armed.
        var sweeps = server.Server.Services.GetRequiredService<IOptions<CoordinatorOptions>>().Value.Heartbeat.Interval / HeartbeatSweeper.SweepsPerInterval;
        await Polling.UntilAsync(() => time.ArmedTimersWithPeriod(sweeps) == 1, "the heartbeat sweeper to arm its timer");
        var client = server.Client();
        await client.JoinAsync("a", 1).WaitAsync(Soon);
        using var cts = new CancellationTokenSource(Soon);
        await using var watch = client.WatchAsync("observer", cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await watch.MoveNextAsync());

        // Silent past 3 × 5 s: the next sweep declares the node dead and the stream carries it at once.
        var next = watch.MoveNextAsync().AsTask();
        time.Advance(TimeSpan.FromSeconds(16));
        Assert.True(await next.WaitAsync(Soon));

        Assert.Equal(WatchEvent.EventOneofCase.NodeDied, watch.Current.EventCase);
        Assert.Contains("missed 3 heartbeats", watch.Current.NodeDied.Reason);
    }
}
