using DistTrain.Coordinator;
using DistTrain.Coordinator.Checkpoints;
using DistTrain.Coordinator.DataPlan;
using DistTrain.Coordinator.Hosting;
using DistTrain.Coordinator.Membership;
using DistTrain.Coordinator.Rendezvous;
using DistTrain.Coordinator.Service;
using DistTrain.Coordinator.Store;
using DistTrain.Coordinator.Telemetry;
using Grpc.AspNetCore.Server;
using Grpc.HealthCheck;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the coordinator on a host.</summary>
public static class CoordinatorServiceCollectionExtensions
{
    /// <summary>
    /// Adds the coordinator: its domain (rendezvous, heartbeat monitor and its sweeper, store
    /// namespaces, data plans, checkpoint registry and its recovery at start, the telemetry aggregator as <see cref="ITelemetrySink"/> and <see cref="ITelemetryView"/> and its Prometheus export), its gRPC service (Grpc.AspNetCore) with the token check, the gRPC health service
    /// and, for <see cref="CoordinatorOptions.EnableReflection"/>, server reflection; and its options,
    /// bound from the <c>Coordinator</c> configuration section, then <paramref name="configure"/>, and
    /// validated when the host starts. The message size limits apply to every gRPC service of the host.
    /// Map the services with <c>app.MapCoordinator()</c>.
    /// </summary>
    public static IServiceCollection AddCoordinator(this IServiceCollection services, Action<CoordinatorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<CoordinatorOptions>()
            .BindConfiguration(CoordinatorOptions.SectionName)
            .ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CoordinatorOptions>, CoordinatorOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<WatchHub>();
        services.TryAddSingleton<IStoreNamespaces, StoreNamespaces>();
        services.TryAddSingleton<IRendezvous, DynamicRendezvous>();
        services.TryAddSingleton<IHeartbeatMonitor, HeartbeatMonitor>();
        services.TryAddSingleton<IDataPlans, DataPlans>();
        services.TryAddSingleton<ICheckpointRegistry, CheckpointRegistry>();
        services.TryAddSingleton<TelemetryAggregator>();
        services.TryAddSingleton<ITelemetrySink>(sp => sp.GetRequiredService<TelemetryAggregator>());
        services.TryAddSingleton<ITelemetryView>(sp => sp.GetRequiredService<TelemetryAggregator>());
        services.TryAddSingleton<TelemetryMetrics>();
        services.TryAddSingleton<WorldResponses>();
        services.TryAddSingleton<CoordinatorService>();
        services.TryAddSingleton(sp => new BearerTokenAuthorizer(
            sp.GetRequiredService<IOptions<CoordinatorOptions>>().Value.Token, sp.GetRequiredService<ILogger<BearerTokenAuthorizer>>()));
        services.AddHostedService<HeartbeatSweeper>();
        services.AddHostedService<CheckpointStartup>();

        services.TryAddSingleton<HealthServiceImpl>();
        services.TryAddSingleton<CoordinatorHealth>();
        services.AddHostedService(sp => sp.GetRequiredService<CoordinatorHealth>());
        services.TryAddSingleton<ShutdownInterceptor>();
        services.TryAddSingleton<StatusInterceptor>();

        services.AddGrpc().AddServiceOptions<HealthServiceImpl>(o => o.Interceptors.Add<ShutdownInterceptor>());
        services.AddOptions<GrpcServiceOptions>().Configure<IOptions<CoordinatorOptions>>((grpc, coordinator) =>
        {
            grpc.MaxReceiveMessageSize = coordinator.Value.MaxReceiveMessageSize;
            grpc.MaxSendMessageSize = coordinator.Value.MaxSendMessageSize;
        });
        services.AddGrpcReflection();
        return services;
    }
}
