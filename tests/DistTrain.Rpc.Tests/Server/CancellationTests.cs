using DistTrain.Rpc.Tests.Echo;
using DistTrain.Rpc.Tests.Support;

namespace DistTrain.Rpc.Tests.Server;

public sealed class CancellationTests
{
    [Fact]
    public async Task Client_cancellation_gives_CANCELLED_and_cancels_the_handler()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        using var cancel = new CancellationTokenSource();

        var call = channel.UnaryAsync(EchoService.Say, new EchoRequest { DelayMs = 10_000 }, new RpcCallOptions { CancellationToken = cancel.Token });
        await WaitUntilAsync(() => server.Echo.Calls == 1);
        cancel.Cancel();

        var error = await Assert.ThrowsAsync<RpcException>(() => call);
        Assert.Equal(StatusCode.Cancelled, error.Status);
        await server.Echo.HandlerCancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Leaving_a_stream_early_cancels_the_handler()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();

        await foreach (var reply in channel.ServerStreaming(EchoService.Count, new EchoRequest { Count = 1000, DelayMs = 20 }))
        {
            if (reply.Index == 2)
                break;
        }

        await server.Echo.HandlerCancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Cancelling_stream_enumeration_gives_CANCELLED()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        using var cancel = new CancellationTokenSource();

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var reply in channel.ServerStreaming(EchoService.Count, new EchoRequest { Count = 1000, DelayMs = 20 }).WithCancellation(cancel.Token))
            {
                if (reply.Index == 1)
                    cancel.Cancel();
            }
        });

        Assert.Equal(StatusCode.Cancelled, error.Status);
        await server.Echo.HandlerCancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Already_cancelled_token_fails_with_CANCELLED_without_reaching_the_server()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Say, new EchoRequest(),
            new RpcCallOptions { CancellationToken = new CancellationToken(canceled: true) }));

        Assert.Equal(StatusCode.Cancelled, error.Status);
        Assert.Equal(0, server.Echo.Calls);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (!condition())
            await Task.Delay(10, timeout.Token);
    }
}
