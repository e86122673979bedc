using DistTrain.Rpc.Tests.Echo;
using DistTrain.Rpc.Tests.Support;

namespace DistTrain.Rpc.Tests.Server;

public sealed class UnaryCallTests
{
    [Fact]
    public async Task Unary_call_returns_the_handlers_response()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();

        var reply = await channel.UnaryAsync(EchoService.Say, new EchoRequest { Text = "hello", Count = 3 });

        Assert.Equal("hello", reply.Text);
        Assert.Equal(3, reply.Payload.Length);
        Assert.StartsWith("ipv4:127.0.0.1:", reply.Peer);
    }

    [Fact]
    public async Task Handler_status_reaches_the_client_with_its_message_and_trailers()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Say,
            new EchoRequest { FailCode = (int)StatusCode.NotFound, FailMessage = "no such key: ünïcode 100%" }));

        Assert.Equal(StatusCode.NotFound, error.Status);
        Assert.Equal("no such key: ünïcode 100%", error.Detail);
        Assert.Equal("yes", error.Trailers.GetValue("failure-trailer"));
    }

    [Fact]
    public async Task Handler_exception_becomes_INTERNAL_without_leaking_its_message_and_is_logged()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Say, new EchoRequest { Text = "crash" }));

        Assert.Equal(StatusCode.Internal, error.Status);
        Assert.DoesNotContain("secret", error.Detail);
        Assert.Contains(server.Logs.Entries, e => e.Exception?.Message == "secret internal detail");
    }

    [Fact]
    public async Task Server_resetting_the_stream_gives_INTERNAL_and_the_channel_keeps_working()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Say, new EchoRequest { Text = "reset" }));

        Assert.Equal(StatusCode.Internal, error.Status);
        Assert.Contains("reset the stream", error.Detail);
        Assert.Equal("after", (await channel.UnaryAsync(EchoService.Say, new EchoRequest { Text = "after" })).Text);
    }

    [Fact]
    public async Task Unregistered_method_of_the_service_gets_UNIMPLEMENTED()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Unregistered, new EchoRequest()));

        Assert.Equal(StatusCode.Unimplemented, error.Status);
        Assert.Contains("/disttrain.rpctest.v1.Echo/Unregistered", error.Detail);
    }

    [Fact]
    public async Task Many_concurrent_calls_on_one_channel_all_succeed()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();

        var replies = await Task.WhenAll(Enumerable.Range(0, 300).Select(i =>
            channel.UnaryAsync(EchoService.Say, new EchoRequest { Text = i.ToString() })));

        Assert.Equal(Enumerable.Range(0, 300).Select(i => i.ToString()), replies.Select(r => r.Text));
    }
}
