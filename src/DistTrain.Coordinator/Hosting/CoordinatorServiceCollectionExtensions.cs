using DistTrain.Coordinator;
using DistTrain.Coordinator.Hosting;
using DistTrain.Coordinator.Membership;
using DistTrain.Coordinator.Rendezvous;
using DistTrain.Coordinator.Service;
using DistTrain.Coordinator.Store;
using DistTrain.Rpc;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the coordinator on a host.</summary>
public static class CoordinatorServiceCollectionExtensions
{
    /// <summary>
    /// Adds the coordinator: its domain (rendezvous, heartbeat monitor and its sweeper, store
    /// namespaces), its gRPC service with the token check, and its options, bound from the
    /// <c>Coordinator</c> configuration section, then <paramref name="configure"/>; the options are
    /// validated when the host starts. Map the service with <c>app.MapCoordinator()</c>.
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
        services.TryAddSingleton<CoordinatorService>();
        services.TryAddSingleton(sp => new BearerTokenAuthorizer(
            sp.GetRequiredService<IOptions<CoordinatorOptions>>().Value.Token, sp.GetRequiredService<ILogger<BearerTokenAuthorizer>>()));
        services.AddHostedService<HeartbeatSweeper>();

        services.AddRpc();
        services.AddOptions<RpcServerOptions>().Configure<IOptions<CoordinatorOptions>, IServiceProvider>((rpc, coordinator, provider) =>
        {
            rpc.MaxReceiveMessageSize = coordinator.Value.MaxReceiveMessageSize;
            var authorizer = provider.GetRequiredService<BearerTokenAuthorizer>();
            rpc.Authorize = authorizer.Authorize;
        });
        return services;
    }
}
