using DistTrain.Coordinator.Tests.Support;
using DistTrain.Protocol;
using DistTrain.Rpc;

namespace DistTrain.Coordinator.Tests.Protocol;

public sealed class CoordinatorClientTests
{
    [Fact]
    public async Task Client_given_its_own_options_still_sends_the_token()
    {
        await using var server = await TestServer.StartAsync();
        var options = new RpcChannelOptions { DefaultMetadata = new RpcMetadata().Add("x-job", "demo"), KeepAlivePingDelay = null };
        using var client = new CoordinatorClient(server.Address, TestServer.Token, options);

        var world = await client.JoinAsync("a", 1);

        Assert.Equal(1ul, world.Round);
    }

    [Fact]
    public void Client_refuses_an_empty_token()
    {
        Assert.Throws<ArgumentException>(() => new CoordinatorClient("http://127.0.0.1:1", ""));
    }

    [Fact]
    public async Task Store_client_over_a_closed_round_sees_its_namespace_only()
    {
        await using var server = await TestServer.StartAsync();
        var client = server.Client();
        var first = await client.JoinAsync("a", 1);
        await client.Store(first.StoreNamespace).SetAsync("k", new byte[] { 1 });

        var second = await client.JoinAsync("a", 1, knownRound: first.Round);

        Assert.False(await client.Store(second.StoreNamespace).CheckAsync(["k"]));
        var error = await Assert.ThrowsAsync<RpcException>(() => client.Store(first.StoreNamespace).CheckAsync(["k"]));
        Assert.Equal(StatusCode.NotFound, error.Status);
    }
}
