using DistTrain.Coordinator.Tests.Support;
using DistTrain.Protocol.V1;
using DistTrain.Rpc;
using Google.Protobuf;

namespace DistTrain.Coordinator.Tests.Service;

/// <summary>Bad calls get a clear status, and the coordinator keeps serving everyone else.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private const string Heartbeat = "/disttrain.v1.Coordinator/Heartbeat";
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(configure: o => o.MaxReceiveMessageSize = 64 * 1024);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task AssertStillServing() =>
        Assert.True((await _server.Client().HeartbeatAsync("bystander", 0)).RejoinRequired);

    private static byte[] ValidHeartbeat() => new HeartbeatRequest { NodeId = "n", Round = 1 }.ToByteArray();

    [Fact]
    public async Task Wrong_token_is_unauthenticated_and_others_are_still_served()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _server.Client("not-the-token").HeartbeatAsync("n", 0));

        Assert.Equal(StatusCode.Unauthenticated, error.Status);
        Assert.Contains("not this job's token", error.Detail);
        await AssertStillServing();
    }

    [Fact]
    public async Task Missing_token_is_unauthenticated()
    {
        var (status, message) = await RawGrpc.PostAsync(_server.Address, Heartbeat, RawGrpc.Frame(ValidHeartbeat()), token: null);

        Assert.Equal(StatusCode.Unauthenticated, status);
        Assert.Contains("authorization: Bearer", message);
    }

    [Fact]
    public async Task Token_is_checked_before_the_body_is_read()
    {
        // A body that could not be parsed still gets UNAUTHENTICATED without a token: the body was never looked at.
        var (status, _) = await RawGrpc.PostAsync(_server.Address, Heartbeat, [0xFF, 0xFF], token: "wrong-token-123");

        Assert.Equal(StatusCode.Unauthenticated, status);
    }

    [Fact]
    public async Task Malformed_protobuf_bytes_are_internal_and_others_are_still_served()
    {
        // Field 1 (node_id, length-delimited) claims 100 bytes but only 2 follow.
        var (status, message) = await RawGrpc.PostAsync(_server.Address, Heartbeat, RawGrpc.Frame([0x0A, 100, 0x41, 0x42]));

        Assert.Equal(StatusCode.Internal, status);
        Assert.NotEmpty(message);
        await AssertStillServing();
    }

    [Fact]
    public async Task Truncated_frame_is_internal_and_others_are_still_served()
    {
        var message = ValidHeartbeat();
        var (status, detail) = await RawGrpc.PostAsync(_server.Address, Heartbeat, RawGrpc.Frame(message, declaredLength: message.Length + 10));

        Assert.Equal(StatusCode.Internal, status);
        Assert.Contains("Incomplete message", detail);
        await AssertStillServing();
    }

    [Fact]
    public async Task Oversized_message_is_resource_exhausted_and_others_are_still_served()
    {
        var huge = new StoreSetRequest { Namespace = "round-1", Key = "k", Value = ByteString.CopyFrom(new byte[100 * 1024]) };

        var (status, detail) = await RawGrpc.PostAsync(_server.Address, "/disttrain.v1.Coordinator/StoreSet", RawGrpc.Frame(huge.ToByteArray()));

        Assert.Equal(StatusCode.ResourceExhausted, status);
        Assert.Contains("larger than max", detail);
        await AssertStillServing();
    }

    [Fact]
    public async Task Unknown_method_is_unimplemented_and_others_are_still_served()
    {
        var (status, _) = await RawGrpc.PostAsync(_server.Address, "/disttrain.v1.Coordinator/Teleport", RawGrpc.Frame([]));

        Assert.Equal(StatusCode.Unimplemented, status);
        await AssertStillServing();
    }

    [Fact]
    public async Task Negative_store_timeout_is_invalid_argument()
    {
        await _server.Client().JoinAsync("a", 1);
        var request = new StoreGetRequest { Namespace = "round-1", Key = "k", Timeout = new Google.Protobuf.WellKnownTypes.Duration { Seconds = -1 } };

        var (status, detail) = await RawGrpc.PostAsync(_server.Address, "/disttrain.v1.Coordinator/StoreGet", RawGrpc.Frame(request.ToByteArray()));

        Assert.Equal(StatusCode.InvalidArgument, status);
        Assert.Contains("non-negative", detail);
    }
}
