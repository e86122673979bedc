using DistTrain.Tests.Shared;
using System.Net;
using System.Net.Sockets;
using DistTrain.Coordinator.Tests.Support;
using DistTrain.Protocol;
using Grpc.Core;

namespace DistTrain.Coordinator.Tests.Protocol;

public sealed class CoordinatorClientTests
{
    [Fact]
    public async Task Client_whose_channel_options_were_changed_still_sends_the_token()
    {
        await using var server = await TestServer.StartAsync();
        using var client = new CoordinatorClient(server.Address, TestServer.Token, o => o.MaxReceiveMessageSize = 1024 * 1024);

        var world = await client.JoinAsync("a", 1);

        Assert.Equal(1ul, world.Round);
    }

    [Fact]
    public void Client_refuses_an_empty_token()
    {
        Assert.Throws<ArgumentException>(() => new CoordinatorClient("http://127.0.0.1:1", ""));
    }

    [Theory]
    [InlineData("127.0.0.1:29400")]
    [InlineData("ftp://127.0.0.1")]
    public void Client_refuses_an_address_that_is_not_http_and_shows_the_form_expected(string address)
    {
        var error = Assert.Throws<ArgumentException>(() => new CoordinatorClient(address, TestServer.Token));

        Assert.Contains($"'{address}'", error.Message);
        Assert.Contains("http://10.0.0.1:29400", error.Message);
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
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task Nothing_listening_is_unavailable_once_the_retries_are_spent()
    {
        using var client = new CoordinatorClient($"http://127.0.0.1:{TestPorts.Free()}", TestServer.Token);

        var error = await Assert.ThrowsAsync<RpcException>(() => client.HeartbeatAsync("n", 1));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    [Fact]
    public async Task Join_with_a_timeout_waits_for_a_coordinator_that_starts_late()
    {
        var port = TestPorts.Free();
        using var client = new CoordinatorClient($"http://127.0.0.1:{port}", TestServer.Token);
        var join = client.JoinAsync("early-node", 1, timeout: TimeSpan.FromSeconds(60));

        // Nothing listens yet: the join keeps waiting (wait-for-ready) rather than failing.
        using (var probe = new TcpClient())
        {
            await Assert.ThrowsAsync<SocketException>(() => probe.ConnectAsync(IPAddress.Loopback, port));
        }

        Assert.False(join.IsCompleted);
        await using var server = await TestServer.StartAsync(configure: o => o.Port = port);

        var world = await join;
        Assert.Equal("early-node", world.Nodes.Single().NodeId);
    }

}
