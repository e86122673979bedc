using System.Net;
using System.Net.Sockets;

namespace DistTrain.Tests.Shared;

/// <summary>Ports for tests that must name one before a server binds it.</summary>
internal static class TestPorts
{
    /// <summary>A TCP port that was free on loopback a moment ago (another process may take it before the caller binds it).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
