using System.Diagnostics;
using DistTrain.Rpc.Tests.Echo;
using DistTrain.Rpc.Tests.Support;

namespace DistTrain.Rpc.Tests.Interop;

/// <summary>DistTrain's client calls a python3-grpcio server: the protocol as a real gRPC server speaks it.</summary>
public sealed class GrpcioServerTests
{
    [Fact]
    public async Task Unary_call_to_grpcio_returns_its_reply_and_sends_metadata()
    {
        await using var peer = await GrpcioServer.StartAsync();
        using var channel = peer.CreateChannel();

        var reply = await channel.UnaryAsync(EchoService.Say, new EchoRequest { Text = "to grpcio", Count = 10 },
            new RpcCallOptions { Metadata = new RpcMetadata().Add("x-rank", "2").Add("id-bin", [9, 8, 7]), Timeout = TimeSpan.FromSeconds(10) });

        Assert.Equal("to grpcio", reply.Text);
        Assert.Equal(10, reply.Payload.Length);
        Assert.Contains("x-rank=2", reply.Metadata);
        Assert.Contains("id-bin=" + Convert.ToBase64String([9, 8, 7]), reply.Metadata);
    }

    [Fact]
    public async Task Streaming_call_to_grpcio_yields_every_message()
    {
        await using var peer = await GrpcioServer.StartAsync();
        using var channel = peer.CreateChannel();

        var replies = await channel.ServerStreaming(EchoService.Count, new EchoRequest { Text = "s", Count = 20 }).ToListAsync();

        Assert.Equal(Enumerable.Range(0, 20), replies.Select(r => r.Index));
    }

    [Fact]
    public async Task Grpcio_error_status_reaches_the_client_with_message_and_trailers()
    {
        await using var peer = await GrpcioServer.StartAsync();
        using var channel = peer.CreateChannel();

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Say,
            new EchoRequest { FailCode = (int)StatusCode.PermissionDenied, FailMessage = "rank 3 may not: 100%" }));

        Assert.Equal(StatusCode.PermissionDenied, error.Status);
        Assert.Equal("rank 3 may not: 100%", error.Detail);
        Assert.Equal("said", error.Trailers.GetValue("echo-trailer"));
    }

    [Fact]
    public async Task Grpcio_stream_error_after_messages_reaches_the_client()
    {
        await using var peer = await GrpcioServer.StartAsync();
        using var channel = peer.CreateChannel();
        var received = 0;

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var _ in channel.ServerStreaming(EchoService.Count,
                new EchoRequest { Count = 3, FailCode = (int)StatusCode.ResourceExhausted, FailMessage = "quota" }))
                received++;
        });

        Assert.Equal(3, received);
        Assert.Equal(StatusCode.ResourceExhausted, error.Status);
    }

    [Fact]
    public async Task Unimplemented_method_on_grpcio_gets_UNIMPLEMENTED()
    {
        await using var peer = await GrpcioServer.StartAsync();
        using var channel = peer.CreateChannel();

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Unregistered, new EchoRequest()));

        Assert.Equal(StatusCode.Unimplemented, error.Status);
    }

    [Fact]
    public async Task Grpcio_honours_the_clients_deadline()
    {
        await using var peer = await GrpcioServer.StartAsync();
        using var channel = peer.CreateChannel();
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Say,
            new EchoRequest { DelayMs = 5000 }, new RpcCallOptions { Timeout = TimeSpan.FromMilliseconds(300) }));

        Assert.Equal(StatusCode.DeadlineExceeded, error.Status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    public async Task Compressed_replies_from_grpcio_are_decoded(string encoding)
    {
        await using var peer = await GrpcioServer.StartAsync(encoding);
        using var recorder = new EncodingRecorder();
        using var channel = peer.CreateChannel(new RpcChannelOptions { HttpHandler = recorder });

        var reply = await channel.UnaryAsync(EchoService.Say, new EchoRequest { Text = new string('g', 4000), Count = 100_000 });
        var replies = await channel.ServerStreaming(EchoService.Count, new EchoRequest { Text = "gz", Count = 5 }).ToListAsync();

        Assert.Equal(new string('g', 4000), reply.Text);
        Assert.Equal(100_000, reply.Payload.Length);
        Assert.Equal(5, replies.Count);
        Assert.All(recorder.Encodings, e => Assert.Equal(encoding, e));
        Assert.Equal(2, recorder.Encodings.Count);
    }

    /// <summary>Records the grpc-encoding of every response, to show the replies really were compressed.</summary>
    private sealed class EncodingRecorder() : DelegatingHandler(new SocketsHttpHandler { UseProxy = false })
    {
        public List<string> Encodings { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            lock (Encodings)
                Encodings.Add(response.Headers.TryGetValues("grpc-encoding", out var values) ? string.Join(",", values) : "identity");
            return response;
        }
    }

    /// <summary>echo_server.py on a port of its own; disposing closes its stdin and kills it.</summary>
    private sealed class GrpcioServer : IAsyncDisposable
    {
        private readonly PythonPeer _peer;

        private GrpcioServer(PythonPeer peer, int port)
        {
            _peer = peer;
            Port = port;
        }

        public int Port { get; }

        /// <param name="compression">gzip or deflate to compress every reply; null for none.</param>
        public static async Task<GrpcioServer> StartAsync(string? compression = null)
        {
            var peer = PythonPeer.Start("echo_server.py", compression is null ? [] : ["--compression", compression]);
            try
            {
                var line = await peer.ReadLineAsync(TimeSpan.FromSeconds(30));
                Assert.StartsWith("PORT ", line);
                return new GrpcioServer(peer, int.Parse(line["PORT ".Length..]));
            }
            catch
            {
                peer.Dispose();
                throw;
            }
        }

        public RpcChannel CreateChannel(RpcChannelOptions? options = null) => RpcChannel.ForAddress($"http://127.0.0.1:{Port}", options);

        public ValueTask DisposeAsync()
        {
            _peer.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
