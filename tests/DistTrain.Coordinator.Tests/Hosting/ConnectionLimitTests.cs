using System.Net;
using System.Net.Sockets;
using DistTrain.Coordinator.Tests.Support;
using Grpc.Core;

namespace DistTrain.Coordinator.Tests.Hosting;

/// <summary>MaxConcurrentConnections bounds what idle or half-open connections can hold of an exposed coordinator.</summary>
public sealed class ConnectionLimitTests
{
    [Fact]
    public async Task Connections_past_the_limit_are_refused_until_idle_ones_close()
    {
        await using var server = await TestServer.StartAsync(configure: o => o.MaxConcurrentConnections = 2);
        var idle = new List<TcpClient>();
        for (var i = 0; i < 2; i++)
        {
            // Half an HTTP/2 preface: Kestrel holds the connection, waiting for the rest.
            var socket = new TcpClient();
            await socket.ConnectAsync(IPAddress.Loopback, server.Port);
            await socket.GetStream().WriteAsync("PRI * HTTP/2.0\r\n"u8.ToArray());
            idle.Add(socket);
        }

        var client = server.Client(configure: o => o.ServiceConfig = null);
        var refused = await Assert.ThrowsAsync<RpcException>(() => client.HeartbeatAsync("n", 0));
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);

        idle.ForEach(s => s.Dispose());
        var fresh = server.Client(configure: o => o.ServiceConfig = null);
        await Polling.UntilAsync(() => Succeeds(fresh), "a call to succeed once the idle connections closed");
    }

    private static bool Succeeds(DistTrain.Protocol.CoordinatorClient client)
    {
        try
        {
            return client.HeartbeatAsync("n", 0).GetAwaiter().GetResult().RejoinRequired;
        }
        catch (RpcException)
        {
            return false;
        }
    }
}
