using DistTrain.Coordinator.Tests.Support;
using DistTrain.Protocol.V1;
using Google.Protobuf;
using Grpc.Core;

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
    public async Task Malformed_protobuf_bytes_are_internal_and_others_are_still_served()
    {
        // Field 1 (node_id, length-delimited) claims 100 bytes but only 2 follow.
        var response = await RawGrpc.PostAsync(_server.Address, Heartbeat, RawGrpc.Frame([0x0A, 100, 0x41, 0x42]));

        Assert.Equal(StatusCode.Internal, response.Status);
        Assert.Contains("not a valid HeartbeatRequest", response.Message);
        await AssertStillServing();
    }

    [Fact]
    public async Task Truncated_frame_is_internal_and_others_are_still_served()
    {
        var message = ValidHeartbeat();
        var response = await RawGrpc.PostAsync(_server.Address, Heartbeat, RawGrpc.Frame(message, declaredLength: message.Length + 10));

        Assert.Equal(StatusCode.Internal, response.Status);
        Assert.Contains("Incomplete message", response.Message);
        await AssertStillServing();
    }

    [Fact]
    public async Task Oversized_message_is_resource_exhausted_and_others_are_still_served()
    {
        var huge = new StoreSetRequest { Namespace = "round-1", Key = "k", Value = ByteString.CopyFrom(new byte[100 * 1024]) };

        var response = await RawGrpc.PostAsync(_server.Address, "/disttrain.v1.Coordinator/StoreSet", RawGrpc.Frame(huge.ToByteArray()));

        Assert.Equal(StatusCode.ResourceExhausted, response.Status);
        Assert.Contains("maximum", response.Message);
        await AssertStillServing();
    }

    [Fact]
    public async Task Unknown_method_is_unimplemented_and_others_are_still_served()
    {
        var response = await RawGrpc.PostAsync(_server.Address, "/disttrain.v1.Coordinator/Teleport", RawGrpc.Frame([]));

        Assert.Equal(StatusCode.Unimplemented, response.Status);
        await AssertStillServing();
    }

    [Fact]
    public async Task Unknown_service_is_unimplemented_without_a_token()
    {
        var response = await RawGrpc.PostAsync(_server.Address, "/no.such.Service/Do", RawGrpc.Frame([]), token: null);

        Assert.Equal(StatusCode.Unimplemented, response.Status);
    }

    [Fact]
    public async Task Negative_store_timeout_is_invalid_argument()
    {
        await _server.Client().JoinAsync("a", 1);
        var request = new StoreGetRequest { Namespace = "round-1", Key = "k", Timeout = new Google.Protobuf.WellKnownTypes.Duration { Seconds = -1 } };

        var response = await RawGrpc.PostAsync(_server.Address, "/disttrain.v1.Coordinator/StoreGet", RawGrpc.Frame(request.ToByteArray()));

        Assert.Equal(StatusCode.InvalidArgument, response.Status);
        Assert.Contains("non-negative", response.Message);
    }
}
