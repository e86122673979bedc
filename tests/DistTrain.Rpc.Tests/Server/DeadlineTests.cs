using System.Diagnostics;
using DistTrain.Rpc.Tests.Echo;
using DistTrain.Rpc.Tests.Support;

namespace DistTrain.Rpc.Tests.Server;

public sealed class DeadlineTests
{
    [Fact]
    public async Task Client_timeout_gives_DEADLINE_EXCEEDED_promptly_and_cancels_the_handler()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        await channel.UnaryAsync(EchoService.Say, new EchoRequest());
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Say,
            new EchoRequest { DelayMs = 10_000 }, new RpcCallOptions { Timeout = TimeSpan.FromMilliseconds(200) }));

        Assert.Equal(StatusCode.DeadlineExceeded, error.Status);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(3));
        await server.Echo.HandlerCancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Server_alone_enforces_grpc_timeout_with_DEADLINE_EXCEEDED()
    {
        await using var server = await TestServer.StartAsync();
        using var raw = new RawGrpcClient(server.Address);
        var clock = Stopwatch.StartNew();

        // The raw client has no deadline of its own: only the server can end this call.
        var response = await raw.SendAsync("/disttrain.rpctest.v1.Echo/Say", RawGrpcClient.Frame(new EchoRequest { DelayMs = 10_000 }),
            new Dictionary<string, string> { ["grpc-timeout"] = "100m" });

        Assert.Equal(StatusCode.DeadlineExceeded, response.Status);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(80), TimeSpan.FromSeconds(3));
        await server.Echo.HandlerCancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Server_deadline_ends_a_stream_after_the_messages_already_sent()
    {
        await using var server = await TestServer.StartAsync();
        using var raw = new RawGrpcClient(server.Address);

        var response = await raw.SendAsync("/disttrain.rpctest.v1.Echo/Count",
            RawGrpcClient.Frame(new EchoRequest { Count = 1000, DelayMs = 50 }),
            new Dictionary<string, string> { ["grpc-timeout"] = "1000m" });

        Assert.False(response.TrailersOnly);
        Assert.Equal(StatusCode.DeadlineExceeded, response.Status);
        Assert.InRange(response.Replies().Count, 1, 40);
    }

    [Fact]
    public async Task Handler_sees_the_callers_deadline()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);

        await channel.UnaryAsync(EchoService.Say, new EchoRequest(), new RpcCallOptions { Deadline = deadline });

        Assert.NotNull(server.Echo.LastDeadline);
        Assert.InRange(server.Echo.LastDeadline!.Value - deadline, TimeSpan.FromSeconds(-1), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Call_without_deadline_has_none_on_the_server()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();

        await channel.UnaryAsync(EchoService.Say, new EchoRequest());

        Assert.Null(server.Echo.LastDeadline);
    }

    [Fact]
    public async Task Deadline_already_past_fails_without_reaching_the_server()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Say,
            new EchoRequest(), new RpcCallOptions { Deadline = DateTimeOffset.UtcNow.AddSeconds(-1) }));

        Assert.Equal(StatusCode.DeadlineExceeded, error.Status);
        Assert.Equal(0, server.Echo.Calls);
    }

    [Fact]
    public async Task Stream_deadline_reaches_the_client_as_DEADLINE_EXCEEDED()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        // Warm the connection and the code paths so the deadline measures the stream, not start-up.
        await channel.UnaryAsync(EchoService.Say, new EchoRequest());
        var received = 0;

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var _ in channel.ServerStreaming(EchoService.Count, new EchoRequest { Count = 1000, DelayMs = 100 },
                new RpcCallOptions { Timeout = TimeSpan.FromMilliseconds(1500) }))
                received++;
        });

        Assert.Equal(StatusCode.DeadlineExceeded, error.Status);
        Assert.InRange(received, 1, 16);
    }

    [Fact]
    public async Task Longest_grpc_timeout_counts_as_no_deadline()
    {
        await using var server = await TestServer.StartAsync();
        using var raw = new RawGrpcClient(server.Address);

        var response = await raw.SendAsync("/disttrain.rpctest.v1.Echo/Say", RawGrpcClient.Frame(new EchoRequest { Text = "patient" }),
            new Dictionary<string, string> { ["grpc-timeout"] = "99999999H" });

        Assert.Equal(StatusCode.Ok, response.Status);
        Assert.Null(server.Echo.LastDeadline);
    }

    [Fact]
    public async Task Client_timeout_too_long_to_time_counts_as_no_deadline()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();

        var reply = await channel.UnaryAsync(EchoService.Say, new EchoRequest { Text = "patient" },
            new RpcCallOptions { Timeout = TimeSpan.MaxValue, Deadline = DateTimeOffset.MaxValue });

        Assert.Equal("patient", reply.Text);
    }
}
