using System.Diagnostics;
using DistTrain.Rpc.Tests.Echo;
using DistTrain.Rpc.Tests.Support;

namespace DistTrain.Rpc.Tests.Client;

public sealed class KeepAliveTests
{
    [Fact]
    public async Task Keepalive_pings_detect_a_silent_peer_and_fail_the_stream_with_UNAVAILABLE()
    {
        await using var server = await TestServer.StartAsync();
        using var proxy = new BlackholeProxy(server.Port);
        using var channel = RpcChannel.ForAddress(proxy.Address, new RpcChannelOptions
        {
            KeepAlivePingDelay = TimeSpan.FromSeconds(1),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(1),
        });
        // One message, then a long silence in which only pings can tell a live peer from a dead one.
        await using var stream = channel.ServerStreaming(EchoService.Count, new EchoRequest { Count = 2, DelayMs = 60_000 }).GetAsyncEnumerator();
        Assert.True(await stream.MoveNextAsync());
        await Task.Delay(1500);
        proxy.Blackhole();
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<RpcException>(async () => await stream.MoveNextAsync());

        Assert.Equal(StatusCode.Unavailable, error.Status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Keepalive_below_one_second_is_refused_with_the_value_and_the_rule()
    {
        var error = Assert.Throws<ArgumentException>(() => RpcChannel.ForAddress("http://127.0.0.1:1",
            new RpcChannelOptions { KeepAlivePingDelay = TimeSpan.FromMilliseconds(300) }));

        Assert.Contains("(00:00:00.3000000)", error.Message);
        Assert.Contains("at least 1 second", error.Message);
    }
}
