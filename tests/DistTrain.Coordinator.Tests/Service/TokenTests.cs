using System.Net;
using DistTrain.Coordinator.Tests.Support;
using DistTrain.Protocol.V1;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;

using Generated = DistTrain.Protocol.V1.Coordinator;

namespace DistTrain.Coordinator.Tests.Service;

/// <summary>Every call to the coordinator needs the job's token, checked before its body is read.</summary>
public sealed class TokenTests : IAsyncLifetime
{
    private const string Heartbeat = "/disttrain.v1.Coordinator/Heartbeat";
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(configure: o => o.MaxReceiveMessageSize = 64 * 1024);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Wrong_token_is_unauthenticated_and_others_are_still_served()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _server.Client("not-the-token").HeartbeatAsync("n", 0));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("not this job's token", error.Status.Detail);
        Assert.True((await _server.Client().HeartbeatAsync("bystander", 0)).RejoinRequired);
        Assert.Contains(_server.Logs.Entries, e => e.Message.Contains("Rejected a call to /disttrain.v1.Coordinator/Heartbeat") && e.Message.Contains("wrong token"));
    }

    [Fact]
    public async Task Missing_token_is_unauthenticated_and_says_what_to_send()
    {
        var channel = _server.Channel();
        var stub = new Generated.CoordinatorClient(channel);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await stub.HeartbeatAsync(new HeartbeatRequest { NodeId = "n" }));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("'authorization: Bearer <token>'", error.Status.Detail);
    }

    [Fact]
    public async Task Token_without_the_bearer_scheme_is_unauthenticated()
    {
        var channel = _server.Channel();
        var stub = new Generated.CoordinatorClient(channel);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await stub.HeartbeatAsync(new HeartbeatRequest { NodeId = "n" }, new Metadata { { "authorization", TestServer.Token } }));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("'Bearer <token>'", error.Status.Detail);
    }

    [Fact]
    public async Task Token_is_checked_before_an_unparseable_body_is_looked_at()
    {
        var response = await RawGrpc.PostAsync(_server.Address, Heartbeat, [0xFF, 0xFF], token: "wrong-token-123");

        Assert.Equal((StatusCode.Unauthenticated, true), (response.Status, response.TrailersOnly));
    }

    [Fact]
    public async Task Token_is_checked_before_an_oversized_body_is_read()
    {
        var huge = new StoreSetRequest { Namespace = "round-1", Key = "k", Value = ByteString.CopyFrom(new byte[1024 * 1024]) };

        var response = await RawGrpc.PostAsync(_server.Address, "/disttrain.v1.Coordinator/StoreSet", RawGrpc.Frame(huge.ToByteArray()), token: null);

        Assert.Equal(StatusCode.Unauthenticated, response.Status);
    }

    [Fact]
    public async Task Refusal_comes_while_the_body_is_still_being_sent()
    {
        // A body that never ends: a server that read the body before the token would never answer.
        var response = await RawGrpc.PostAsync(_server.Address, Heartbeat, new NeverEndingContent(), token: "wrong-token-123");

        Assert.Equal((StatusCode.Unauthenticated, true), (response.Status, response.TrailersOnly));
    }

    [Fact]
    public async Task Unknown_method_of_the_coordinator_needs_the_token_too()
    {
        var response = await RawGrpc.PostAsync(_server.Address, "/disttrain.v1.Coordinator/Teleport", RawGrpc.Frame([]), token: null);

        Assert.Equal(StatusCode.Unauthenticated, response.Status);
    }

    [Fact]
    public async Task Health_service_answers_without_a_token()
    {
        var health = new Health.HealthClient(_server.Channel());

        var answer = await health.CheckAsync(new HealthCheckRequest { Service = Generated.Descriptor.FullName });

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, answer.Status);
    }

    /// <summary>
    /// Sends the start of a frame and then never ends. (It sends some bytes because HttpClient may hold
    /// back the request headers until the body's first write.)
    /// </summary>
    private sealed class NeverEndingContent : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            await stream.WriteAsync(RawGrpc.Frame(new byte[100]).AsMemory(0, 7), cancellationToken);
            await stream.FlushAsync(cancellationToken);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
