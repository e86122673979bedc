using DistTrain.Rpc.Tests.Echo;
using DistTrain.Rpc.Tests.Support;

namespace DistTrain.Rpc.Tests.Server;

public sealed class MetadataAndAuthorizationTests
{
    [Fact]
    public async Task Channel_and_call_metadata_reach_the_handler_text_and_binary()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel(new RpcChannelOptions { DefaultMetadata = new RpcMetadata().Add("x-job", "job-7") });
        var call = new RpcCallOptions { Metadata = new RpcMetadata().Add("X-Rank", "3").Add("trace-bin", [0, 1, 2, 250]) };

        var reply = await channel.UnaryAsync(EchoService.Say, new EchoRequest(), call);

        Assert.Contains("x-job=job-7", reply.Metadata);
        Assert.Contains("x-rank=3", reply.Metadata);
        Assert.Contains("trace-bin=" + Convert.ToBase64String([0, 1, 2, 250]), reply.Metadata);
        Assert.DoesNotContain(reply.Metadata, m => m.StartsWith("grpc-") || m.StartsWith("content-type") || m.StartsWith("te="));
    }

    [Fact]
    public async Task Right_token_is_let_through()
    {
        await using var server = await TestServer.StartAsync(requireToken: true);
        using var channel = server.CreateChannel(new RpcChannelOptions { DefaultMetadata = new RpcMetadata().Add("authorization", TestServer.Token) });

        var reply = await channel.UnaryAsync(EchoService.Say, new EchoRequest { Text = "ok" });

        Assert.Equal("ok", reply.Text);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong")]
    public async Task Wrong_or_missing_token_gets_UNAUTHENTICATED_and_never_reaches_the_handler(string? token)
    {
        await using var server = await TestServer.StartAsync(requireToken: true);
        var metadata = new RpcMetadata();
        if (token is not null)
            metadata.Add("authorization", token);
        using var channel = server.CreateChannel(new RpcChannelOptions { DefaultMetadata = metadata });

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Say, new EchoRequest()));

        Assert.Equal(StatusCode.Unauthenticated, error.Status);
        Assert.Equal("A valid bearer token is required.", error.Detail);
        Assert.Equal(0, server.Echo.Calls);
    }

    [Fact]
    public async Task Authorization_answers_before_the_request_body_arrives()
    {
        await using var server = await TestServer.StartAsync(requireToken: true);
        using var raw = new RawGrpcClient(server.Address);
        var body = new NeverEndingContent();

        var response = await raw.SendAsync("/disttrain.rpctest.v1.Echo/Say", body);

        Assert.Equal(StatusCode.Unauthenticated, response.Status);
        Assert.True(response.TrailersOnly);
    }

    [Fact]
    public async Task Unknown_method_gets_UNIMPLEMENTED_even_without_a_token()
    {
        await using var server = await TestServer.StartAsync(requireToken: true);
        using var channel = server.CreateChannel();

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Unregistered, new EchoRequest()));

        Assert.Equal(StatusCode.Unimplemented, error.Status);
    }

    /// <summary>
    /// A request body that sends the start of a frame and then never ends: a server that read the
    /// body before authorizing would wait forever. (It sends some bytes because HttpClient may hold
    /// back the request headers until the body's first write.)
    /// </summary>
    private sealed class NeverEndingContent : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
        {
            await stream.WriteAsync(RawGrpcClient.Frame(new byte[100]).AsMemory(0, 7), cancellationToken);
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
