using System.Net;
using System.Net.Sockets;
using DistTrain.Rpc.Tests.Echo;
using DistTrain.Rpc.Tests.Support;
using Google.Protobuf;

namespace DistTrain.Rpc.Tests.Client;

public sealed class ChannelFailureTests
{
    [Fact]
    public async Task Nothing_listening_gives_UNAVAILABLE()
    {
        using var channel = RpcChannel.ForAddress($"http://127.0.0.1:{ClosedPort()}");

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Say, new EchoRequest()));

        Assert.Equal(StatusCode.Unavailable, error.Status);
    }

    [Fact]
    public async Task Stream_to_nothing_listening_gives_UNAVAILABLE()
    {
        using var channel = RpcChannel.ForAddress($"http://127.0.0.1:{ClosedPort()}");

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var _ in channel.ServerStreaming(EchoService.Count, new EchoRequest { Count = 1 }))
            {
            }
        });

        Assert.Equal(StatusCode.Unavailable, error.Status);
    }

    [Fact]
    public async Task Response_larger_than_the_clients_limit_gives_RESOURCE_EXHAUSTED()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel(new RpcChannelOptions { MaxReceiveMessageSize = 1024 });

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Say, new EchoRequest { Count = 4096 }));

        Assert.Equal(StatusCode.ResourceExhausted, error.Status);
        Assert.Contains("larger than max", error.Detail);
    }

    [Fact]
    public async Task Request_larger_than_the_clients_send_limit_fails_without_reaching_the_server()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel(new RpcChannelOptions { MaxSendMessageSize = 1024 });

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Say,
            new EchoRequest { Payload = ByteString.CopyFrom(new byte[4096]) }));

        Assert.Equal(StatusCode.ResourceExhausted, error.Status);
        Assert.Equal(0, server.Echo.Calls);
    }

    [Fact]
    public async Task Response_larger_than_the_servers_send_limit_gives_RESOURCE_EXHAUSTED()
    {
        await using var server = await TestServer.StartAsync(o => o.MaxSendMessageSize = 1024);
        using var channel = server.CreateChannel();

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Say, new EchoRequest { Count = 4096 }));

        Assert.Equal(StatusCode.ResourceExhausted, error.Status);
        Assert.Contains("Sent message larger than max", error.Detail);
    }

    [Fact]
    public async Task Http1_only_server_gives_UNAVAILABLE_not_a_hang()
    {
        // A plain HTTP/1.1 listener: the HTTP/2 preface is not what it expects.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serve = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync();
            await socket.SendAsync("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());
            socket.Shutdown(SocketShutdown.Both);
        });
        using var channel = RpcChannel.ForAddress($"http://127.0.0.1:{port}");

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Say, new EchoRequest(),
            new RpcCallOptions { Timeout = TimeSpan.FromSeconds(5) }));

        Assert.Equal(StatusCode.Unavailable, error.Status);
        await serve;
    }

    [Fact]
    public async Task Call_on_a_disposed_channel_gives_UNAVAILABLE()
    {
        await using var server = await TestServer.StartAsync();
        var channel = server.CreateChannel();
        channel.Dispose();

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Say, new EchoRequest()));

        Assert.Equal(StatusCode.Unavailable, error.Status);
        Assert.Equal("The channel was disposed.", error.Detail);
    }

    [Theory]
    [InlineData("127.0.0.1:80")]
    [InlineData("ftp://127.0.0.1")]
    [InlineData("/relative")]
    public void Address_must_be_absolute_http_or_https(string address)
    {
        var error = Assert.Throws<ArgumentException>(() => RpcChannel.ForAddress(address));
        Assert.Contains(address, error.Message);
    }

    /// <summary>A loopback port that was free a moment ago and has nothing listening.</summary>
    internal static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
