using DistTrain.Rpc.Server;
using Microsoft.Extensions.DependencyInjection;

namespace DistTrain.Rpc;

/// <summary>Registers what RPC services need in a host's container.</summary>
public static class RpcServiceCollectionExtensions
{
    /// <summary>Adds routing and <see cref="RpcServerOptions"/>; call before <c>MapRpcService</c>.</summary>
    public static IServiceCollection AddRpc(this IServiceCollection services, Action<RpcServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddRouting();
        services.AddOptions<RpcServerOptions>().Validate(
            o => o.MaxReceiveMessageSize > 0 && o.MaxSendMessageSize > 0,
            "RpcServerOptions.MaxReceiveMessageSize and MaxSendMessageSize must be greater than 0.");
        if (configure is not null)
            services.Configure(configure);
        services.AddSingleton<RpcEndpointRegistry>();
        return services;
    }
}
