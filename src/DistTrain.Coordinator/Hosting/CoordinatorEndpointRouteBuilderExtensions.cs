using DistTrain.Coordinator;
using DistTrain.Coordinator.Service;
using DistTrain.Protocol.V1;
using Grpc.AspNetCore.Server;
using Grpc.HealthCheck;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

using GeneratedCoordinator = DistTrain.Protocol.V1.Coordinator;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the coordinator's gRPC services.</summary>
public static class CoordinatorEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>disttrain.v1.Coordinator</c> (every call checked for the job's token before its body is
    /// read), the gRPC health service <c>grpc.health.v1.Health</c> (no token: probes have none) and,
    /// when <see cref="CoordinatorOptions.EnableReflection"/> is on, server reflection (no token).
    /// Call <c>services.AddCoordinator()</c> first.
    /// </summary>
    /// <returns>The conventions of the coordinator's own endpoints.</returns>
    public static IEndpointConventionBuilder MapCoordinator(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var service = services.GetService<CoordinatorService>()
            ?? throw new InvalidOperationException("Call services.AddCoordinator() before app.MapCoordinator().");
        var authorizer = services.GetRequiredService<BearerTokenAuthorizer>();
        var definition = CoordinatorServiceDefinition.Create(
            service, services.GetRequiredService<ShutdownInterceptor>(), services.GetRequiredService<StatusInterceptor>());

        var coordinator = endpoints.MapGrpcService(definition);
        var prefix = "/" + GeneratedCoordinator.Descriptor.FullName;
        coordinator.Add(endpoint =>
        {
            TokenFirst.Apply(endpoint, prefix, authorizer);
            // Tell server reflection whose methods these are (a service mapped from a definition has no type of its own).
            if (endpoint.Metadata.OfType<GrpcMethodMetadata>().LastOrDefault() is { } grpc)
            {
                endpoint.Metadata.Add(new GrpcMethodMetadata(typeof(CoordinatorService), grpc.Method));
            }
        });

        endpoints.MapGrpcService<HealthServiceImpl>();
        if (services.GetRequiredService<IOptions<CoordinatorOptions>>().Value.EnableReflection)
        {
            endpoints.MapGrpcReflectionService();
        }

        return coordinator;
    }
}
