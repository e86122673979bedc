using DistTrain.Coordinator.Rendezvous;
using DistTrain.Coordinator.Store;
using DistTrain.Coordinator.Tests.Support;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace DistTrain.Coordinator.Tests.Service;

/// <summary>
/// A coordinator that stops ends the calls still open at once with UNAVAILABLE (its own message, not
/// the connection reset Kestrel gives calls that outlive its shutdown timeout), and its health service
/// says NOT_SERVING first.
/// </summary>
public sealed class ShutdownTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Stopping_ends_a_waiting_join_a_waiting_store_get_and_a_watch_with_unavailable()
    {
        var server = await TestServer.StartAsync(minNodes: 2, maxNodes: 2);
        // No retries: this is about what the coordinator answers, not what a client does next.
        var client = server.Client(configure: o => o.ServiceConfig = null);
        var rendezvous = server.Server.Services.GetRequiredService<IRendezvous>();
        var store = (KeyValueStore)server.Server.Services.GetRequiredService<IStoreNamespaces>().Replace("round-test");
        var join = client.JoinAsync("waiting", 1);
        var get = client.Store(store.Namespace).GetAsync("never-set", TimeSpan.FromMinutes(5));
        await using var watch = client.WatchAsync("observer").GetAsyncEnumerator();
        Assert.True(await watch.MoveNextAsync());
        await Polling.UntilAsync(() => store.WaiterCount == 1 && rendezvous.Current.JoinedNodes == 1, "the get and the join to wait on the coordinator");

        await server.Server.StopAsync();

        foreach (var call in new[] { get, join, DrainAsync(watch) })
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => call.WaitAsync(Guard));
            Assert.Equal(StatusCode.Unavailable, error.StatusCode);
            Assert.Contains("The coordinator is shutting down", error.Status.Detail);
        }

        await server.DisposeAsync();
    }

    [Fact]
    public async Task Health_watchers_see_serving_then_not_serving_when_the_coordinator_stops()
    {
        var server = await TestServer.StartAsync();
        var health = new Health.HealthClient(server.Channel());
        using var watch = health.Watch(new HealthCheckRequest());
        Assert.True(await watch.ResponseStream.MoveNext());
        Assert.Equal(ServingStatus.Serving, watch.ResponseStream.Current.Status);

        var stopping = server.Server.StopAsync();

        Assert.True(await watch.ResponseStream.MoveNext().WaitAsync(Guard));
        Assert.Equal(ServingStatus.NotServing, watch.ResponseStream.Current.Status);
        await stopping.WaitAsync(Guard);
        await server.DisposeAsync();
    }

    private static async Task DrainAsync<T>(IAsyncEnumerator<T> stream)
    {
        while (await stream.MoveNextAsync())
        {
        }
    }
}
