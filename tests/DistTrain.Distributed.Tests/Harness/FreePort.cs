using System.Net;
using System.Net.Sockets;

namespace DistTrain.Distributed.Tests.Harness;

/// <summary>A loopback TCP port that was free a moment ago.</summary>
public static class FreePort
{
    /// <summary>Asks the kernel for a free loopback port and releases it.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
