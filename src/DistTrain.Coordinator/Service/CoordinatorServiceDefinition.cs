using Grpc.Core;
using Grpc.Core.Interceptors;
using GeneratedCoordinator = DistTrain.Protocol.V1.Coordinator;

namespace DistTrain.Coordinator.Service;

/// <summary>
/// The coordinator's service as Grpc.AspNetCore maps it: every method bound as Grpc.Tools generated
/// it, except <c>Join</c>, which is bound with <see cref="SerializedJoinResponse.JoinMethod"/> (same name
/// and wire format, a marshaller that sends a world serialized once per round). The interceptors wrap
/// every handler, the first outermost; a request that does not parse answers INTERNAL (<see cref="RequestParsing"/>).
/// </summary>
internal static class CoordinatorServiceDefinition
{
    public static ServerServiceDefinition Create(CoordinatorService service, params Interceptor[] interceptors)
    {
        var binder = new InterceptingBinder(ServerServiceDefinition.CreateBuilder(), interceptors);
        GeneratedCoordinator.BindService(binder, service);
        binder.AddMethod(SerializedJoinResponse.JoinMethod, service.JoinAsync);
        return binder.Build();
    }

    /// <summary>
    /// Collects bindings into a definition, each handler wrapped in the interceptors; the generated
    /// <c>Join</c> is left out (it is bound by hand).
    /// </summary>
    private sealed class InterceptingBinder(ServerServiceDefinition.Builder builder, Interceptor[] interceptors) : ServiceBinderBase
    {
        public ServerServiceDefinition Build() => builder.Build();

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
        {
            if (method.Name == SerializedJoinResponse.JoinMethod.Name && typeof(TResponse) != typeof(SerializedJoinResponse))
            {
                return;
            }

            var wrapped = handler ?? throw MissingHandler(method);
            for (var i = interceptors.Length - 1; i >= 0; i--)
            {
                var (interceptor, inner) = (interceptors[i], wrapped);
                wrapped = (request, context) => interceptor.UnaryServerHandler(request, context, inner);
            }

            builder.AddMethod(RequestParsing.Strict(method), wrapped);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var wrapped = handler ?? throw MissingHandler(method);
            for (var i = interceptors.Length - 1; i >= 0; i--)
            {
                var (interceptor, inner) = (interceptors[i], wrapped);
                wrapped = (request, stream, context) => interceptor.ServerStreamingServerHandler(request, stream, context, inner);
            }

            builder.AddMethod(RequestParsing.Strict(method), wrapped);
        }

        private static InvalidOperationException MissingHandler(IMethod method) =>
            new($"The generated binding of {method.FullName} came without a handler; bind it with a service instance.");
    }
}
