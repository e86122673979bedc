using DistTrain.Coordinator;
using DistTrain.Coordinator.Hosting;
using DistTrain.Coordinator.Membership;
using DistTrain.Coordinator.Rendezvous;
using DistTrain.Coordinator.Store;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the coordinator on a host.</summary>
public static class CoordinatorServiceCollectionExtensions
{
    /// <summary>
    /// Adds the coordinator's domain (rendezvous, heartbeat monitor and its sweeper, store
    /// namespaces) and its options, bound from the <c>Coordinator</c> configuration section, then
    /// <paramref name="configure"/>; the options are validated when the host starts.
    /// </summary>
    public static IServiceCollection AddCoordinatorCore(this IServiceCollection services, Action<CoordinatorOptions>? configure = null)
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
        services.AddHostedService<HeartbeatSweeper>();
        return services;
    }
}
