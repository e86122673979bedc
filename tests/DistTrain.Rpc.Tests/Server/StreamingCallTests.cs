using DistTrain.Rpc.Tests.Echo;
using DistTrain.Rpc.Tests.Support;

namespace DistTrain.Rpc.Tests.Server;

public sealed class StreamingCallTests
{
    [Fact]
    public async Task Server_streaming_call_yields_every_message_in_order()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();

        var replies = await channel.ServerStreaming(EchoService.Count, new EchoRequest { Text = "n", Count = 5 }).ToListAsync();

        Assert.Equal([0, 1, 2, 3, 4], replies.Select(r => r.Index));
    }

    [Fact]
    public async Task Stream_with_no_messages_ends_cleanly()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();

        var replies = await channel.ServerStreaming(EchoService.Count, new EchoRequest { Count = 0 }).ToListAsync();

        Assert.Empty(replies);
    }

    [Fact]
    public async Task Error_after_messages_arrives_in_trailers_after_the_messages()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        var received = new List<int>();

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var reply in channel.ServerStreaming(EchoService.Count,
                new EchoRequest { Count = 2, FailCode = (int)StatusCode.Aborted, FailMessage = "stopped" }))
                received.Add(reply.Index);
        });

        Assert.Equal([0, 1], received);
        Assert.Equal(StatusCode.Aborted, error.Status);
        Assert.Equal("stopped", error.Detail);
    }
}
