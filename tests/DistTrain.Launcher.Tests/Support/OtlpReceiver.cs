using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DistTrain.Launcher.Tests.Support;

/// <summary>
/// An OTLP/HTTP receiver on a free loopback port (Kestrel): it answers every POST to <c>/v1/metrics</c>
/// and <c>/v1/traces</c> with 200 and an empty response message, and keeps each request's body.
/// </summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<OtlpRequest> _requests;

    private OtlpReceiver(WebApplication app, ConcurrentQueue<OtlpRequest> requests, Uri endpoint)
    {
        _app = app;
        _requests = requests;
        Endpoint = endpoint;
    }

    /// <summary>The value for <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (the exporter adds <c>/v1/metrics</c> and <c>/v1/traces</c>).</summary>
    public Uri Endpoint { get; }

    /// <summary>The requests received so far, oldest first.</summary>
    public IReadOnlyList<OtlpRequest> Requests => [.. _requests];

    /// <summary>OTLP/HTTP's default port: where an exporter without an endpoint sends (<c>http://localhost:4318</c>).</summary>
    public const int DefaultPort = 4318;

    /// <summary>Starts listening on 127.0.0.1 on a port the system picks.</summary>
    public static Task<OtlpReceiver> StartAsync() => StartAsync(o => o.Listen(IPAddress.Loopback, 0));

    /// <summary>Starts listening on localhost (IPv4 and IPv6) on <see cref="DefaultPort"/>; fails when the port is taken.</summary>
    public static Task<OtlpReceiver> StartOnDefaultPortAsync() => StartAsync(o => o.ListenLocalhost(DefaultPort));

    private static async Task<OtlpReceiver> StartAsync(Action<KestrelServerOptions> listen)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(listen);
        var app = builder.Build();
        var requests = new ConcurrentQueue<OtlpRequest>();
        foreach (var signal in new[] { "metrics", "traces" })
        {
            app.MapPost($"/v1/{signal}", async (HttpRequest request) =>
            {
                using var body = new MemoryStream();
                await request.Body.CopyToAsync(body);
                requests.Enqueue(new OtlpRequest(signal, request.ContentType, body.ToArray()));
                // An empty Export*ServiceResponse: everything accepted.
                return Results.Bytes(Array.Empty<byte>(), "application/x-protobuf");
            });
        }

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new OtlpReceiver(app, requests, new Uri(address));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One export a <see cref="OtlpReceiver"/> received: the signal (<c>metrics</c> or <c>traces</c>), its content type and body.</summary>
internal sealed record OtlpRequest(string Signal, string? ContentType, byte[] Body)
{
    /// <summary>The text fields of the body (names, attribute keys and string values), read as raw protobuf.</summary>
    public IReadOnlyList<string> Strings => ProtobufStrings.Of(Body);
}
