using System.Diagnostics;
using DistTrain.Rpc.Tests.Echo;
using DistTrain.Rpc.Tests.Support;

namespace DistTrain.Rpc.Tests.Server;

public sealed class ShutdownTests
{
    [Fact]
    public async Task Host_shutdown_ends_open_streams_with_UNAVAILABLE_without_waiting_for_them()
    {
        var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        await using var stream = channel.ServerStreaming(EchoService.Count, new EchoRequest { Count = 100_000, DelayMs = 50 }).GetAsyncEnumerator();
        Assert.True(await stream.MoveNextAsync());
        var clock = Stopwatch.StartNew();

        var stopping = server.DisposeAsync().AsTask();
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await stream.MoveNextAsync())
            {
            }
        });
        await stopping;

        Assert.Equal(StatusCode.Unavailable, error.Status);
        Assert.Equal("The server is shutting down.", error.Detail);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"shutdown took {clock.Elapsed}");
        Assert.DoesNotContain(server.Logs.Entries, e => e.Category == "DistTrain.Rpc.Server");
    }
}
