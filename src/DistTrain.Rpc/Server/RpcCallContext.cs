using Microsoft.AspNetCore.Http;

namespace DistTrain.Rpc;

/// <summary>What a server handler knows about the call it serves.</summary>
public sealed class RpcCallContext
{
    internal RpcCallContext(HttpContext httpContext, string method, RpcMetadata requestHeaders, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        HttpContext = httpContext;
        Method = method;
        RequestHeaders = requestHeaders;
        Deadline = deadline;
        CancellationToken = cancellationToken;
        Peer = FormatPeer(httpContext);
    }

    /// <summary>The method's path, <c>/package.Service/Method</c>.</summary>
    public string Method { get; }

    /// <summary>The caller's metadata (custom headers); keys are case-insensitive.</summary>
    public RpcMetadata RequestHeaders { get; }

    /// <summary>When the caller stops waiting (from <c>grpc-timeout</c>), or null for no deadline.</summary>
    public DateTimeOffset? Deadline { get; }

    /// <summary>
    /// Cancelled when the caller cancels or disconnects, the deadline passes, or the host begins to
    /// shut down (a call that ends because of that answers UNAVAILABLE, which clients may retry).
    /// </summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The caller's address as grpc writes it, for example <c>ipv4:127.0.0.1:50412</c>.</summary>
    public string Peer { get; }

    /// <summary>Custom trailers sent with the status, whether the call succeeds or fails.</summary>
    public RpcMetadata ResponseTrailers { get; } = new();

    /// <summary>The underlying HTTP/2 request, for what this type does not expose (TLS client certificate, features).</summary>
    public HttpContext HttpContext { get; }

    private static string FormatPeer(HttpContext http)
    {
        var ip = http.Connection.RemoteIpAddress;
        if (ip is null)
            return "unknown";
        if (ip.IsIPv4MappedToIPv6)
            ip = ip.MapToIPv4();
        return ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"ipv6:[{ip}]:{http.Connection.RemotePort}"
            : $"ipv4:{ip}:{http.Connection.RemotePort}";
    }
}
