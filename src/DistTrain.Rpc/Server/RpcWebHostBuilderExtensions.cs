using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace DistTrain.Rpc;

/// <summary>Sets Kestrel up for gRPC.</summary>
public static class RpcWebHostBuilderExtensions
{
    /// <summary>Concurrent HTTP/2 streams allowed per connection; Kestrel's default of 100 makes grpc clients queue calls.</summary>
    public const int MaxStreamsPerConnection = 1000;

    /// <summary>
    /// Listens on <paramref name="endpoint"/> (port 0 picks a free port; read it back with
    /// <see cref="GetListeningAddresses"/>). Without a certificate the endpoint speaks cleartext
    /// HTTP/2 only (prior knowledge, as gRPC clients do; a mixed HTTP/1.1 endpoint would refuse them).
    /// With one it speaks TLS and offers h2 and http/1.1 by ALPN, so gRPC and browsers can share it.
    /// </summary>
    public static IWebHostBuilder ConfigureRpcEndpoint(this IWebHostBuilder builder, IPEndPoint endpoint, X509Certificate2? certificate = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(endpoint);
        return builder.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.Http2.MaxStreamsPerConnection = MaxStreamsPerConnection;
            kestrel.Listen(endpoint, listen =>
            {
                if (certificate is null)
                {
                    listen.Protocols = HttpProtocols.Http2;
                }
                else
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(certificate);
                }
            });
        });
    }

    /// <summary>The addresses the started server listens on, with actual ports, for example <c>http://127.0.0.1:41237</c>.</summary>
    public static IReadOnlyList<string> GetListeningAddresses(this IServiceProvider services)
    {
        var server = services.GetRequiredService<IServer>();
        return server.Features.Get<IServerAddressesFeature>()?.Addresses.ToList()
            ?? throw new InvalidOperationException("The server exposes no addresses; has it started?");
    }
}
