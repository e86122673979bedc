using DistTrain.Rpc.Tests.Echo;
using DistTrain.Rpc.Tests.Support;
using Google.Protobuf;

namespace DistTrain.Rpc.Tests.Server;

/// <summary>Each bad request gets a clear status, and the server goes on serving everyone else.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private const string SayPath = "/disttrain.rpctest.v1.Echo/Say";
    private TestServer _server = null!;
    private RawGrpcClient _raw = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(o => o.MaxReceiveMessageSize = 64 * 1024);
        _raw = new RawGrpcClient(_server.Address);
    }

    public async Task DisposeAsync()
    {
        _raw.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Malformed_protobuf_gets_INTERNAL_and_the_server_keeps_serving()
    {
        // Field 1 declared as a 100-byte string, followed by 2 bytes.
        var response = await _raw.SendAsync(SayPath, RawGrpcClient.Frame([0x0A, 100, 1, 2]));

        Assert.Equal(StatusCode.Internal, response.Status);
        Assert.Contains("Failed to parse the request message as EchoRequest", response.Message);
        Assert.Equal(0, _server.Echo.Calls);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task Truncated_frame_gets_INTERNAL_and_the_server_keeps_serving()
    {
        var payload = new EchoRequest { Text = "cut short" }.ToByteArray();
        var response = await _raw.SendAsync(SayPath, RawGrpcClient.Frame(payload, declaredLength: payload.Length + 50));

        Assert.Equal(StatusCode.Internal, response.Status);
        Assert.Contains("Incomplete message", response.Message);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task Truncated_frame_header_gets_INTERNAL()
    {
        var response = await _raw.SendAsync(SayPath, [0, 0, 0]);

        Assert.Equal(StatusCode.Internal, response.Status);
        Assert.Contains("frame header", response.Message);
    }

    [Fact]
    public async Task Empty_request_body_gets_INTERNAL()
    {
        var response = await _raw.SendAsync(SayPath, []);

        Assert.Equal(StatusCode.Internal, response.Status);
        Assert.Contains("without a message", response.Message);
    }

    [Fact]
    public async Task Two_request_messages_for_a_unary_method_get_INTERNAL()
    {
        var frame = RawGrpcClient.Frame(new EchoRequest { Text = "a" });
        var response = await _raw.SendAsync(SayPath, [.. frame, .. frame]);

        Assert.Equal(StatusCode.Internal, response.Status);
        Assert.Contains("more than one message", response.Message);
    }

    [Fact]
    public async Task Oversized_request_gets_RESOURCE_EXHAUSTED_and_the_server_keeps_serving()
    {
        using var channel = _server.CreateChannel();

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Say,
            new EchoRequest { Payload = ByteString.CopyFrom(new byte[100 * 1024]) }));

        Assert.Equal(StatusCode.ResourceExhausted, error.Status);
        Assert.Contains("larger than max", error.Detail);
        Assert.Equal(0, _server.Echo.Calls);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task Compressed_request_that_inflates_past_the_limit_gets_RESOURCE_EXHAUSTED()
    {
        var bomb = CompressionTests.Compress(new EchoRequest { Payload = ByteString.CopyFrom(new byte[1024 * 1024]) }.ToByteArray(), "gzip");
        Assert.True(bomb.Length < 64 * 1024);

        var response = await _raw.SendAsync(SayPath, RawGrpcClient.Frame(bomb, compressed: true),
            new Dictionary<string, string> { ["grpc-encoding"] = "gzip" });

        Assert.Equal(StatusCode.ResourceExhausted, response.Status);
    }

    [Fact]
    public async Task Unknown_method_gets_UNIMPLEMENTED()
    {
        var response = await _raw.SendAsync("/disttrain.rpctest.v1.Echo/NoSuchMethod", RawGrpcClient.Frame(new EchoRequest()));

        Assert.Equal(200, response.HttpStatus);
        Assert.True(response.TrailersOnly);
        Assert.Equal(StatusCode.Unimplemented, response.Status);
        Assert.Equal("Method is unimplemented: /disttrain.rpctest.v1.Echo/NoSuchMethod", response.Message);
    }

    [Fact]
    public async Task Unknown_service_gets_UNIMPLEMENTED()
    {
        var response = await _raw.SendAsync("/no.such.Service/Do", RawGrpcClient.Frame(new EchoRequest()));

        Assert.Equal(StatusCode.Unimplemented, response.Status);
        Assert.Equal("Service is unimplemented: /no.such.Service/Do", response.Message);
    }

    [Fact]
    public async Task Non_grpc_content_type_gets_415()
    {
        var response = await _raw.SendAsync(SayPath, RawGrpcClient.Frame(new EchoRequest()), contentType: "application/json");

        Assert.Equal(415, response.HttpStatus);
        Assert.Equal(StatusCode.Internal, response.Status);
    }

    [Fact]
    public async Task Unknown_grpc_encoding_gets_UNIMPLEMENTED()
    {
        var response = await _raw.SendAsync(SayPath, RawGrpcClient.Frame([1, 2, 3], compressed: true),
            new Dictionary<string, string> { ["grpc-encoding"] = "snappy" });

        Assert.Equal(StatusCode.Unimplemented, response.Status);
        Assert.Contains("snappy", response.Message);
    }

    [Fact]
    public async Task Compressed_flag_without_grpc_encoding_gets_INTERNAL()
    {
        var response = await _raw.SendAsync(SayPath, RawGrpcClient.Frame(CompressionTests.Compress([1], "gzip"), compressed: true));

        Assert.Equal(StatusCode.Internal, response.Status);
        Assert.Contains("no grpc-encoding", response.Message);
    }

    [Fact]
    public async Task Corrupt_gzip_message_gets_INTERNAL()
    {
        var response = await _raw.SendAsync(SayPath, RawGrpcClient.Frame([1, 2, 3, 4, 5, 6], compressed: true),
            new Dictionary<string, string> { ["grpc-encoding"] = "gzip" });

        Assert.Equal(StatusCode.Internal, response.Status);
        Assert.Contains("decompress", response.Message);
    }

    [Fact]
    public async Task Invalid_grpc_timeout_gets_INTERNAL()
    {
        var response = await _raw.SendAsync(SayPath, RawGrpcClient.Frame(new EchoRequest()),
            new Dictionary<string, string> { ["grpc-timeout"] = "soon" });

        Assert.Equal(StatusCode.Internal, response.Status);
        Assert.Contains("grpc-timeout", response.Message);
    }

    private async Task AssertStillServingAsync()
    {
        using var channel = _server.CreateChannel();
        var reply = await channel.UnaryAsync(EchoService.Say, new EchoRequest { Text = "still here" });
        Assert.Equal("still here", reply.Text);
    }
}
