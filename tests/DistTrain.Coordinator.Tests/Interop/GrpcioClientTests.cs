using DistTrain.Coordinator.Store;
using DistTrain.Coordinator.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace DistTrain.Coordinator.Tests.Interop;

/// <summary>
/// A real gRPC client, Debian's python3-grpcio with stubs generated from protos/, calls every method
/// of the coordinator, with and without the token, past deadlines, on a watch stream, and after
/// garbage was sent to the port.
/// </summary>
public sealed class GrpcioClientTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private Dictionary<string, string> _report = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        using var client = PythonPeer.Start("grpcio_client.py", $"127.0.0.1:{_server.Port}", TestServer.Token);
        _report = await client.ReadReportAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public void Grpcio_joins_heartbeats_and_is_refused_an_impossible_join()
    {
        Assert.Equal("1,2,py-node,py-host,round-1,3", _report["world"]);
        Assert.Equal("1,ROUND_STATE_CLOSED,False", _report["heartbeat"]);
        Assert.StartsWith("INVALID_ARGUMENT|", _report["invalid_join"]);
        Assert.Contains("(0) must be between 1 and 1024", _report["invalid_join"]);
    }

    [Fact]
    public void Grpcio_uses_every_store_method_with_c10d_semantics()
    {
        Assert.Equal("10.0.0.1:29500", _report["get"]);
        Assert.Equal("7", _report["add"]);
        Assert.Equal("True,False,one", _report["compare_set"]);
        Assert.Equal("True", _report["check"]);
        Assert.Equal("OK", _report["wait"]);
        Assert.Equal("3", _report["num_keys"]);
        Assert.Equal("True", _report["delete"]);
        Assert.Equal("NOT_FOUND", _report["unknown_namespace"]);
    }

    [Fact]
    public async Task Grpcio_deadlines_end_calls_on_both_sides()
    {
        Assert.StartsWith("DEADLINE_EXCEEDED|", _report["server_deadline"]);
        Assert.Contains("'absent'", _report["server_deadline"]);
        Assert.Equal("DEADLINE_EXCEEDED", _report["client_deadline"]);
        // The coordinator let go of the get whose caller's deadline passed.
        var store = (KeyValueStore)_server.Server.Services.GetRequiredService<IStoreNamespaces>().Get("round-1");
        await Polling.UntilAsync(() => store.WaiterCount == 0, "no waiter left");
    }

    [Fact]
    public void Grpcio_without_the_token_or_with_another_is_unauthenticated_and_told_why()
    {
        Assert.Equal("UNAUTHENTICATED|The call carries no 'authorization: Bearer <token>' metadata; the coordinator requires the job's token.", _report["no_token"]);
        Assert.StartsWith("UNAUTHENTICATED|The bearer token is not this job's token", _report["wrong_token"]);
    }

    [Fact]
    public void Grpcio_watch_gets_the_snapshot_then_the_leave_and_the_reopened_round()
    {
        Assert.Equal("snapshot,ROUND_STATE_CLOSED,1", _report["watch_first"]);
        Assert.Equal("True", _report["leave"]);
        Assert.Equal("node_left:py-node:finished,round_reopened:2", _report["watch_next"]);
    }

    [Fact]
    public void Grpcio_gets_unimplemented_for_an_unknown_method_and_serving_from_the_health_service()
    {
        Assert.Equal("UNIMPLEMENTED", _report["unimplemented"]);
        Assert.Equal("SERVING", _report["health"]);
    }

    [Fact]
    public void Garbage_on_the_port_leaves_the_coordinator_serving()
    {
        Assert.Equal("True", _report["after_garbage"]);
    }
}
