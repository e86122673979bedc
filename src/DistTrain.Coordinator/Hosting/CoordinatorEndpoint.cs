using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace DistTrain.Coordinator.Hosting;

/// <summary>
/// The coordinator's Kestrel endpoints: gRPC (HTTP/2 only, h2c or TLS) with the connection and stream
/// limits, and, unless <see cref="CoordinatorOptions.HttpPort"/> is <see cref="CoordinatorOptions.NoHttp"/>,
/// an HTTP/1.1 listener on the same address for <c>/metrics</c> and the pages (TLS too when it is on).
/// Kestrel lists their addresses in this order.
/// </summary>
internal static class CoordinatorEndpoint
{
    /// <summary>Concurrent HTTP/2 streams allowed per connection. Kestrel's default of 100 makes a client queue its 101st open join or watch.</summary>
    public const int MaxStreamsPerConnection = 1000;

    public static void Configure(KestrelServerOptions kestrel, CoordinatorOptions options)
    {
        kestrel.AddServerHeader = false;
        kestrel.Limits.MaxConcurrentConnections = options.MaxConcurrentConnections;
        kestrel.Limits.Http2.MaxStreamsPerConnection = MaxStreamsPerConnection;
        kestrel.Listen(new IPEndPoint(IPAddress.Parse(options.BindAddress), options.Port), listen =>
        {
            // gRPC clients speak HTTP/2 with prior knowledge on cleartext, and negotiate h2 by ALPN on TLS.
            listen.Protocols = HttpProtocols.Http2;
            if (options.Tls.Enabled)
            {
                listen.UseHttps(https => TlsCertificates.Configure(https, options.Tls));
            }
        });
        if (options.HttpPort == CoordinatorOptions.NoHttp)
        {
            return;
        }

        kestrel.Listen(new IPEndPoint(IPAddress.Parse(options.BindAddress), options.HttpPort), listen =>
        {
            // Prometheus and browsers speak HTTP/1.1 (a browser negotiates h2 by ALPN over TLS too).
            listen.Protocols = options.Tls.Enabled ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
            if (options.Tls.Enabled)
            {
                listen.UseHttps(https => TlsCertificates.Configure(https, options.Tls));
            }
        });
    }
}
