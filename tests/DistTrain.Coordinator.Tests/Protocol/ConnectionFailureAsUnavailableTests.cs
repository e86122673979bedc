using DistTrain.Protocol;
using DistTrain.Protocol.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace DistTrain.Coordinator.Tests.Protocol;

/// <summary>
/// A connection the server closed before answering, reported by SocketsHttpHandler without an
/// IOException inside (as it sometimes does past Kestrel's connection limit), is retried as UNAVAILABLE;
/// an error no retry can cure is not.
/// </summary>
public sealed class ConnectionFailureAsUnavailableTests
{
    [Fact]
    public async Task An_unfinished_handshake_without_an_inner_exception_is_unavailable_and_retried()
    {
        var transport = new FailingTransport(new HttpRequestException(
            "An HTTP/2 connection could not be established because the server did not complete the HTTP/2 handshake."));

        var error = await HeartbeatThrough(transport);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal(CoordinatorServiceConfig.MaxAttempts, transport.Attempts);
        Assert.Contains("did not complete the HTTP/2 handshake", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_does_not_speak_HTTP2_is_not_retried()
    {
        var transport = new FailingTransport(new HttpRequestException(
            HttpRequestError.VersionNegotiationError, "Requesting HTTP version 2.0 with version policy RequestVersionExact while unable to establish HTTP/2 connection."));

        var error = await HeartbeatThrough(transport);

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Equal(1, transport.Attempts);
    }

    private static async Task<RpcException> HeartbeatThrough(FailingTransport transport)
    {
        using var channel = GrpcChannel.ForAddress("http://127.0.0.1:1", new GrpcChannelOptions
        {
            HttpHandler = new ConnectionFailureAsUnavailable(transport),
            ServiceConfig = CoordinatorServiceConfig.Create(),
        });
        var client = new DistTrain.Protocol.V1.Coordinator.CoordinatorClient(channel);
        return await Assert.ThrowsAsync<RpcException>(
            () => client.HeartbeatAsync(new HeartbeatRequest(), deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync);
    }

    private sealed class FailingTransport(HttpRequestException failure) : HttpMessageHandler
    {
        public int Attempts { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Attempts++;
            return Task.FromException<HttpResponseMessage>(failure);
        }
    }
}
