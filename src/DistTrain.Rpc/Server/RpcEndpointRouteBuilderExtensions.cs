using DistTrain.Rpc.Server;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DistTrain.Rpc;

/// <summary>Maps gRPC services onto ASP.NET Core endpoint routing.</summary>
public static class RpcEndpointRouteBuilderExtensions
{
    // Behind every explicit route, so a host's own endpoints win over the UNIMPLEMENTED answers.
    private const int FallbackOrder = 1000;

    /// <summary>
    /// Serves <paramref name="service"/>: one POST route per method registered in
    /// <paramref name="configure"/>, UNIMPLEMENTED for its other methods and for unknown services.
    /// Requires <see cref="RpcServiceCollectionExtensions.AddRpc"/>.
    /// </summary>
    /// <returns>A builder that applies conventions (host filters, metadata) to every route of the service.</returns>
    /// <exception cref="InvalidOperationException">AddRpc was not called, or the service is mapped twice.</exception>
    /// <exception cref="ArgumentException">A registration does not match the proto (from <paramref name="configure"/>).</exception>
    public static IEndpointConventionBuilder MapRpcService(this IEndpointRouteBuilder endpoints, ServiceDescriptor service, Action<RpcServiceBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(configure);
        var registry = endpoints.ServiceProvider.GetService<RpcEndpointRegistry>()
            ?? throw new InvalidOperationException("Call services.AddRpc() before mapping RPC services.");
        if (!registry.Services.Add(service.FullName))
            throw new InvalidOperationException($"The service {service.FullName} is mapped twice.");
        var shared = new ServerShared(
            endpoints.ServiceProvider.GetRequiredService<IOptions<RpcServerOptions>>().Value,
            endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("DistTrain.Rpc.Server"),
            endpoints.ServiceProvider.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None);

        var builder = new RpcServiceBuilder(service, shared);
        configure(builder);

        var conventions = new List<IEndpointConventionBuilder>();
        foreach (var handler in builder.Handlers)
            conventions.Add(endpoints.MapPost(handler.Path, (RequestDelegate)handler.HandleAsync).WithDisplayName($"gRPC {handler.Path}"));

        var unknownMethod = new UnimplementedServerMethod($"/{service.FullName}/{{method}}", "Method", shared);
        conventions.Add(Fallback(endpoints, unknownMethod));
        if (!registry.UnknownServiceMapped)
        {
            registry.UnknownServiceMapped = true;
            Fallback(endpoints, new UnimplementedServerMethod("/{service}/{method}", "Service", shared));
        }
        return new CompositeConventionBuilder(conventions);
    }

    private static IEndpointConventionBuilder Fallback(IEndpointRouteBuilder endpoints, UnimplementedServerMethod handler)
    {
        var route = endpoints.MapPost(handler.Path, (RequestDelegate)handler.HandleAsync)
            .WithDisplayName($"gRPC unimplemented {handler.Path}");
        route.Add(b => ((RouteEndpointBuilder)b).Order = FallbackOrder);
        return route;
    }

    private sealed class CompositeConventionBuilder(List<IEndpointConventionBuilder> builders) : IEndpointConventionBuilder
    {
        public void Add(Action<EndpointBuilder> convention)
        {
            foreach (var b in builders)
                b.Add(convention);
        }
    }
}
