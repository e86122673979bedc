using DistTrain.Coordinator.Tests.Support;
using DistTrain.Protocol;
using Grpc.Core;

namespace DistTrain.Coordinator.Tests.Hosting;

/// <summary>
/// MaxConcurrentConnections bounds the connections an exposed coordinator holds (idle or half-open
/// ones included: Kestrel counts a connection from when it takes it on).
/// </summary>
public sealed class ConnectionLimitTests
{
    [Fact]
    public async Task Connections_past_the_limit_are_refused_until_one_closes()
    {
        await using var server = await TestServer.StartAsync(configure: o => o.MaxConcurrentConnections = 2);
        var holders = new List<CoordinatorClient>();
        for (var i = 0; i < 2; i++)
        {
            // A call that succeeded proves its connection was counted; it stays open, idle.
            var holder = server.Client(configure: o => o.ServiceConfig = null);
            Assert.True((await holder.HeartbeatAsync("n", 0)).RejoinRequired);
            holders.Add(holder);
        }

        var third = server.Client(configure: o => o.ServiceConfig = null);
        var refused = await Assert.ThrowsAsync<RpcException>(() => third.HeartbeatAsync("n", 0));
        AssertRefusedByTheTransport(refused);

        holders[0].Dispose();
        await Polling.UntilAsync(() => Succeeds(third), "a call to get through once a connection closed");
        Assert.True((await holders[1].HeartbeatAsync("n", 0)).RejoinRequired);
    }

    // Kestrel closes a connection past the limit before the HTTP/2 handshake ends: the call never
    // started (HttpClient failed it, not the coordinator), and it is UNAVAILABLE, which the client's
    // retry policy retries, also when HttpClient gives no inner IOException (ConnectionFailureAsUnavailable).
    private static void AssertRefusedByTheTransport(RpcException error)
    {
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.IsType<HttpRequestException>(error.Status.DebugException);
        Assert.StartsWith("Error starting gRPC call", error.Status.Detail, StringComparison.Ordinal);
    }

    private static bool Succeeds(CoordinatorClient client)
    {
        try
        {
            return client.HeartbeatAsync("n", 0).GetAwaiter().GetResult().RejoinRequired;
        }
        catch (RpcException)
        {
            return false;
        }
    }
}
