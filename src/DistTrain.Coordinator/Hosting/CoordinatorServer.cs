using DistTrain.Coordinator.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DistTrain.Coordinator;

/// <summary>
/// A coordinator listening on its own Kestrel endpoint (Grpc.AspNetCore; h2c, or TLS when a certificate is given): alone (<c>disttrain-coordinator</c>), or
/// inside another process such as the launcher's agent, which starts one with <see cref="StartAsync"/>.
/// </summary>
public sealed class CoordinatorServer : IAsyncDisposable
{
    /// <summary>How long stopping waits for calls in flight; long waits (joins, store gets, watches) end at once with UNAVAILABLE.</summary>
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    private readonly WebApplication _app;

    private CoordinatorServer(WebApplication app, Uri address, Uri? httpAddress)
    {
        _app = app;
        Address = address;
        HttpAddress = httpAddress;
    }

    /// <summary>Where clients reach the coordinator, for example <c>http://127.0.0.1:29400</c> (<c>https://</c> with TLS; the real port when 0 was asked).</summary>
    public Uri Address { get; }

    /// <summary>
    /// Where the HTTP/1.1 listener serves <c>/metrics</c> and the pages, for example <c>http://127.0.0.1:41234</c>
    /// (the real port when <see cref="CoordinatorOptions.HttpPort"/> was 0); null when it is off.
    /// </summary>
    public Uri? HttpAddress { get; }

    /// <summary>The host's services (the rendezvous, the store namespaces…).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Builds the coordinator's host: options from the <c>Coordinator</c> configuration section, then
    /// <paramref name="configure"/>; an HTTP/2 endpoint on the bind address and port; the gRPC services
    /// (<see cref="CoordinatorEndpointRouteBuilderExtensions.MapCoordinator"/>); an HTTP/1.1 endpoint on
    /// <see cref="CoordinatorOptions.HttpPort"/> and what it serves (<see cref="CoordinatorHttpEndpointRouteBuilderExtensions.MapCoordinatorHttp"/>).
    /// </summary>
    /// <exception cref="OptionsValidationException">The options break a rule; the message lists every failure.</exception>
    /// <param name="configure">Sets the options (after configuration binding).</param>
    /// <param name="configureLogging">Adjusts logging (providers, levels).</param>
    /// <param name="configureServices">Adds or replaces services before the coordinator's own (for example a <see cref="TimeProvider"/>).</param>
    public static WebApplication Build(
        Action<CoordinatorOptions>? configure = null, Action<ILoggingBuilder>? configureLogging = null, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
        builder.Logging.AddFilter("Grpc", LogLevel.Warning);
        // What this category logs as errors is the transport's: a caller that reset its stream (it was
        // cancelled, or its process exited) before Kestrel told the call. Handler failures are logged by
        // the coordinator itself (Service/StatusInterceptor), so nothing of the coordinator's is lost.
        builder.Logging.AddFilter("Grpc.AspNetCore.Server.ServerCallHandler", LogLevel.Critical);
        configureLogging?.Invoke(builder.Logging);

        // The endpoint is needed before the host is built, so resolve the options here the same way the host will.
        var options = new CoordinatorOptions();
        builder.Configuration.GetSection(CoordinatorOptions.SectionName).Bind(options);
        configure?.Invoke(options);
        var validation = new CoordinatorOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(nameof(CoordinatorOptions), typeof(CoordinatorOptions), validation.Failures);
        }

        builder.WebHost.ConfigureKestrel(kestrel => CoordinatorEndpoint.Configure(kestrel, options));
        configureServices?.Invoke(builder.Services);
        builder.Services.AddCoordinator(configure);
        var app = builder.Build();
        app.MapCoordinator();
        app.MapCoordinatorHttp();
        return app;
    }

    /// <summary>Builds (as <see cref="Build"/> does) and starts a coordinator; it serves until disposed.</summary>
    /// <exception cref="OptionsValidationException">The options break a rule.</exception>
    public static async Task<CoordinatorServer> StartAsync(
        Action<CoordinatorOptions>? configure = null,
        Action<ILoggingBuilder>? configureLogging = null,
        Action<IServiceCollection>? configureServices = null,
        CancellationToken cancellationToken = default)
    {
        var app = Build(configure, configureLogging, configureServices);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            // Kestrel lists the endpoints in the order CoordinatorEndpoint configured them: gRPC, then HTTP/1.1.
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(Reachable).ToList();
            return new CoordinatorServer(app, addresses[0], addresses.Count > 1 ? addresses[1] : null);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static Uri Reachable(string address) => new(address.Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1"));

    /// <summary>Waits until the host stops (Ctrl+C, SIGTERM, <see cref="StopAsync"/>) or <paramref name="cancellationToken"/> is cancelled.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops serving: the health service says NOT_SERVING, then every open call ends with UNAVAILABLE.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
