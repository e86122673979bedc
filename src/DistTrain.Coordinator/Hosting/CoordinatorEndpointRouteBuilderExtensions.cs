using DistTrain.Coordinator.Service;
using DistTrain.Protocol;
using DistTrain.Rpc;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the coordinator's gRPC service.</summary>
public static class CoordinatorEndpointRouteBuilderExtensions
{
    /// <summary>Maps <c>disttrain.v1.Coordinator</c>; call <c>services.AddCoordinator()</c> first.</summary>
    public static IEndpointConventionBuilder MapCoordinator(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var service = endpoints.ServiceProvider.GetService(typeof(CoordinatorService)) as CoordinatorService
            ?? throw new InvalidOperationException("Call services.AddCoordinator() before app.MapCoordinator().");
        return endpoints.MapRpcService(CoordinatorMethods.Service, service.Register);
    }
}
