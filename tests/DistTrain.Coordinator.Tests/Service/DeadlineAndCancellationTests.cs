using DistTrain.Coordinator.Rendezvous;
using DistTrain.Coordinator.Store;
using DistTrain.Coordinator.Tests.Support;
using DistTrain.Protocol.V1;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Generated = DistTrain.Protocol.V1.Coordinator;

namespace DistTrain.Coordinator.Tests.Service;

/// <summary>A caller's deadline and its cancellation reach the handler: what it waits for on the coordinator is let go.</summary>
public sealed class DeadlineAndCancellationTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private World _world = null!;

    private KeyValueStore Store => (KeyValueStore)_server.Server.Services.GetRequiredService<IStoreNamespaces>().Get(_world.StoreNamespace);

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _world = await _server.Client().JoinAsync("member", 1);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Client_deadline_ends_a_waiting_store_get_and_the_coordinator_stops_waiting()
    {
        var stub = new Generated.CoordinatorClient(_server.Client().CallInvoker);
        var request = new StoreGetRequest { Namespace = _world.StoreNamespace, Key = "never-set" }; // the coordinator would wait 300 s

        var error = await Assert.ThrowsAsync<RpcException>(async () => await stub.StoreGetAsync(request, deadline: DateTime.UtcNow.AddMilliseconds(300)));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        await Polling.UntilAsync(() => Store.WaiterCount == 0, "the coordinator to drop the get's waiter");
    }

    [Fact]
    public async Task Cancelled_store_wait_is_cancelled_and_the_coordinator_stops_waiting()
    {
        using var cancel = new CancellationTokenSource();
        var wait = _server.Client().Store(_world.StoreNamespace).WaitAsync(["a", "b"], TimeSpan.FromMinutes(5), cancel.Token);
        await Polling.UntilAsync(() => Store.WaiterCount == 1, "the wait to reach the coordinator");

        await cancel.CancelAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => wait);
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        await Polling.UntilAsync(() => Store.WaiterCount == 0, "the coordinator to drop the wait's waiter");
    }

    [Fact]
    public async Task Cancelled_join_withdraws_the_node_from_the_open_round()
    {
        await using var server = await TestServer.StartAsync(minNodes: 2, maxNodes: 2);
        var rendezvous = server.Server.Services.GetRequiredService<IRendezvous>();
        using var cancel = new CancellationTokenSource();
        var join = server.Client().JoinAsync("alone", 1, cancellationToken: cancel.Token);
        await Polling.UntilAsync(() => rendezvous.Current is { State: DistTrain.Coordinator.Rendezvous.RoundState.Open, JoinedNodes: 1 }, "the node to wait in the open round");

        await cancel.CancelAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => join);
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        await Polling.UntilAsync(() => rendezvous.Current.JoinedNodes == 0, "the coordinator to withdraw the node");
    }

    [Fact]
    public async Task Leaving_a_watch_early_ends_the_coordinators_subscription()
    {
        var hub = _server.Server.Services.GetRequiredService<DistTrain.Coordinator.Membership.WatchHub>();
        await foreach (var _ in _server.Client().WatchAsync("observer"))
        {
            Assert.Equal(1, hub.Count);
            break;
        }

        await Polling.UntilAsync(() => hub.Count == 0, "the coordinator to end the watcher's subscription");
    }
}
