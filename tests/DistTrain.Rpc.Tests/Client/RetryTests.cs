using System.Net;
using DistTrain.Rpc.Tests.Echo;
using DistTrain.Rpc.Tests.Support;

namespace DistTrain.Rpc.Tests.Client;

public sealed class RetryTests
{
    private static readonly RpcRetryPolicy FastRetries = new()
    {
        MaxAttempts = 4,
        InitialBackoff = TimeSpan.FromMilliseconds(10),
        MaxBackoff = TimeSpan.FromMilliseconds(40),
    };

    [Fact]
    public async Task Idempotent_call_is_retried_after_connection_failures_and_succeeds()
    {
        await using var server = await TestServer.StartAsync();
        using var flaky = new FailFirst(2);
        using var channel = server.CreateChannel(new RpcChannelOptions { HttpHandler = flaky, RetryPolicy = FastRetries });

        var reply = await channel.UnaryAsync(EchoService.Say, new EchoRequest { Text = "third time" }, new RpcCallOptions { Idempotent = true });

        Assert.Equal("third time", reply.Text);
        Assert.Equal(3, flaky.Attempts);
    }

    [Fact]
    public async Task Call_not_marked_idempotent_is_not_retried()
    {
        await using var server = await TestServer.StartAsync();
        using var flaky = new FailFirst(1);
        using var channel = server.CreateChannel(new RpcChannelOptions { HttpHandler = flaky, RetryPolicy = FastRetries });

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Say, new EchoRequest()));

        Assert.Equal(StatusCode.Unavailable, error.Status);
        Assert.Equal(1, flaky.Attempts);
    }

    [Fact]
    public async Task Retries_stop_after_the_maximum_attempts()
    {
        await using var server = await TestServer.StartAsync();
        using var flaky = new FailFirst(100);
        using var channel = server.CreateChannel(new RpcChannelOptions { HttpHandler = flaky, RetryPolicy = FastRetries });

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Say, new EchoRequest(), new RpcCallOptions { Idempotent = true }));

        Assert.Equal(StatusCode.Unavailable, error.Status);
        Assert.Equal(FastRetries.MaxAttempts, flaky.Attempts);
    }

    [Fact]
    public async Task Server_UNAVAILABLE_status_is_retried_for_idempotent_calls()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel(new RpcChannelOptions { RetryPolicy = FastRetries });

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Say,
            new EchoRequest { FailCode = (int)StatusCode.Unavailable, FailMessage = "draining" }, new RpcCallOptions { Idempotent = true }));

        Assert.Equal(StatusCode.Unavailable, error.Status);
        Assert.Equal("draining", error.Detail);
        Assert.Equal(FastRetries.MaxAttempts, server.Echo.Calls);
    }

    [Fact]
    public async Task Other_statuses_are_not_retried_even_when_idempotent()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel(new RpcChannelOptions { RetryPolicy = FastRetries });

        await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Say,
            new EchoRequest { FailCode = (int)StatusCode.Internal }, new RpcCallOptions { Idempotent = true }));

        Assert.Equal(1, server.Echo.Calls);
    }

    [Fact]
    public async Task Idempotent_stream_is_retried_before_its_first_message()
    {
        await using var server = await TestServer.StartAsync();
        using var flaky = new FailFirst(2);
        using var channel = server.CreateChannel(new RpcChannelOptions { HttpHandler = flaky, RetryPolicy = FastRetries });

        var replies = await channel.ServerStreaming(EchoService.Count, new EchoRequest { Count = 3 }, new RpcCallOptions { Idempotent = true }).ToListAsync();

        Assert.Equal(3, replies.Count);
        Assert.Equal(3, flaky.Attempts);
    }

    [Fact]
    public void Backoff_ceiling_grows_exponentially_up_to_the_maximum()
    {
        var policy = new RpcRetryPolicy { InitialBackoff = TimeSpan.FromMilliseconds(100), MaxBackoff = TimeSpan.FromMilliseconds(500), BackoffMultiplier = 2 };

        Assert.Equal([100, 200, 400, 500, 500], Enumerable.Range(1, 5).Select(n => policy.BackoffCeiling(n).TotalMilliseconds));
        Assert.All(Enumerable.Range(0, 100), _ => Assert.InRange(policy.NextDelay(3), TimeSpan.Zero, TimeSpan.FromMilliseconds(400)));
    }

    [Fact]
    public void Invalid_policy_is_refused_with_the_value_and_the_rule()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            RpcChannel.ForAddress("http://127.0.0.1:1", new RpcChannelOptions { RetryPolicy = new RpcRetryPolicy { MaxAttempts = 0 } }));

        Assert.Contains("The maximum number of attempts (0) must be at least 1.", error.Message);
    }

    /// <summary>Fails the first N sends as a refused connection would, then passes requests on.</summary>
    private sealed class FailFirst(int failures) : DelegatingHandler(new SocketsHttpHandler { UseProxy = false })
    {
        private int _attempts;

        public int Attempts => _attempts;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _attempts) <= failures
                ? Task.FromException<HttpResponseMessage>(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (simulated)"))
                : base.SendAsync(request, cancellationToken);
    }
}
