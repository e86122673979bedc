using DistTrain.Tests.Shared;
using DistTrain.Coordinator.Tests.Support;
using DistTrain.Protocol;
using DistTrain.Protocol.V1;
using Grpc.Core;

namespace DistTrain.Coordinator.Tests.Interop;

/// <summary>
/// DistTrain's client (Grpc.Net.Client behind CoordinatorClient) calls a real gRPC server: a grpcio
/// server playing the coordinator (Interop/grpcio_server.py).
/// </summary>
public sealed class GrpcioServerTests
{
    private const string Token = "grpcio-fake-token";

    [Fact]
    public async Task Join_heartbeat_and_store_get_reach_grpcio_with_the_token()
    {
        using var peer = PythonPeer.Start("grpcio_server.py", Token);
        using var client = new CoordinatorClient(await AddressAsync(peer), Token);

        var world = await client.JoinAsync("dotnet-node", 4, "dotnet-host");
        var beat = await client.HeartbeatAsync("dotnet-node", world.Round);
        var value = await client.Store(world.StoreNamespace).GetAsync("rank-3");

        Assert.Equal((7ul, "dotnet-node", "dotnet-host", 4), (world.Round, world.Nodes[0].NodeId, world.Nodes[0].Host, world.WorldSize));
        Assert.Equal(TimeSpan.FromSeconds(5), world.HeartbeatInterval.ToTimeSpan());
        Assert.False(beat.RejoinRequired);
        Assert.Equal("rank-3"u8.ToArray(), value);
    }

    [Fact]
    public async Task Wrong_token_gets_grpcios_unauthenticated_and_its_message()
    {
        using var peer = PythonPeer.Start("grpcio_server.py", Token);
        using var client = new CoordinatorClient(await AddressAsync(peer), "another-token");

        var error = await Assert.ThrowsAsync<RpcException>(() => client.HeartbeatAsync("n", 1));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal("the fake coordinator wants the test's token", error.Status.Detail);
    }

    [Fact]
    public async Task Grpcio_error_status_arrives_with_its_message_in_unicode()
    {
        using var peer = PythonPeer.Start("grpcio_server.py", Token);
        using var client = new CoordinatorClient(await AddressAsync(peer), Token);

        var error = await Assert.ThrowsAsync<RpcException>(() => client.Store("round-7").GetAsync("missing"));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("no such key: 'missing' (100% ünïcode)", error.Status.Detail);
    }

    [Fact]
    public async Task Idempotent_call_is_retried_after_unavailable_and_the_others_are_not()
    {
        using var peer = PythonPeer.Start("grpcio_server.py", Token, "--unavailable", "2");
        using var client = new CoordinatorClient(await AddressAsync(peer), Token);

        var beat = await client.HeartbeatAsync("n", 7);
        var add = await Assert.ThrowsAsync<RpcException>(() => client.Store("round-7").AddAsync("k", 1));

        Assert.False(beat.RejoinRequired);
        Assert.Equal(StatusCode.Unavailable, add.StatusCode);
        Assert.Equal(3, await client.Store("Heartbeat").NumKeysAsync());
        Assert.Equal(1, await client.Store("StoreAdd").NumKeysAsync());
    }

    [Fact]
    public async Task Client_deadline_ends_a_call_grpcio_is_still_working_on()
    {
        using var peer = PythonPeer.Start("grpcio_server.py", Token);
        using var client = new CoordinatorClient(await AddressAsync(peer), Token);

        // A server timeout of 0 s gives the call a client deadline of 5 s (the slack); the fake waits 30 s.
        var error = await Assert.ThrowsAsync<RpcException>(() => client.Store("round-7").GetAsync("slow", TimeSpan.Zero));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
    }

    [Fact]
    public async Task Watch_from_grpcio_streams_until_the_client_stops()
    {
        using var peer = PythonPeer.Start("grpcio_server.py", Token);
        using var client = new CoordinatorClient(await AddressAsync(peer), Token);
        var events = new List<WatchEvent.EventOneofCase>();

        await foreach (var e in client.WatchAsync("dotnet-watcher"))
        {
            events.Add(e.EventCase);
            if (events.Count == 2)
            {
                break;
            }
        }

        Assert.Equal([WatchEvent.EventOneofCase.Snapshot, WatchEvent.EventOneofCase.RoundClosed], events);
    }

    [Fact]
    public async Task Join_with_a_timeout_waits_for_a_grpcio_coordinator_that_starts_late()
    {
        var port = TestPorts.Free();
        using var client = new CoordinatorClient($"http://127.0.0.1:{port}", Token);
        var join = client.JoinAsync("early-node", 1, timeout: TimeSpan.FromSeconds(60));
        Assert.False(join.IsCompleted);

        using var peer = PythonPeer.Start("grpcio_server.py", Token, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await AddressAsync(peer);

        Assert.Equal("early-node", (await join).Nodes[0].NodeId);
    }

    private static async Task<string> AddressAsync(PythonPeer peer)
    {
        var line = await peer.ReadLineAsync();
        Assert.StartsWith("PORT ", line);
        return $"http://127.0.0.1:{line["PORT ".Length..]}";
    }
}
