using Grpc.Net.Client;

namespace DistTrain.Protocol;

/// <summary>Builds the Grpc.Net.Client channel a <see cref="CoordinatorClient"/> owns: its defaults, then the caller's changes.</summary>
internal static class CoordinatorChannel
{
    /// <exception cref="ArgumentException">The address is not an absolute http:// or https:// URI.</exception>
    public static GrpcChannel Create(string address, Action<GrpcChannelOptions>? configure)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException(
                $"The coordinator's address '{address}' must be an absolute http:// or https:// URI, for example http://10.0.0.1:29400.", nameof(address));
        }

        var options = new GrpcChannelOptions
        {
            HttpHandler = new ConnectionFailureAsUnavailable(CreateHandler()),
            DisposeHttpClient = true,
            ServiceConfig = CoordinatorServiceConfig.Create(),
        };
        configure?.Invoke(options);
        return GrpcChannel.ForAddress(uri, options);
    }

    /// <summary>
    /// HTTP/2 with keep-alive pings while calls are open (joins and watches stay open for minutes; the
    /// pings make them fail with UNAVAILABLE when the coordinator's machine vanishes instead of
    /// hanging), more connections when one runs out of streams, no proxy (the coordinator is reached
    /// directly, also when http_proxy is set for other traffic). <see cref="ConnectionFailureAsUnavailable"/>
    /// wraps it.
    /// </summary>
    private static SocketsHttpHandler CreateHandler() => new()
    {
        EnableMultipleHttp2Connections = true,
        KeepAlivePingDelay = CoordinatorClient.DefaultKeepAlivePingDelay,
        KeepAlivePingTimeout = TimeSpan.FromSeconds(20),
        KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
        PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        UseProxy = false,
    };
}
