using DistTrain.Rpc.Server;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace DistTrain.Rpc;

/// <summary>
/// Registers the handlers of one service inside <c>app.MapRpcService(...)</c>. Each method is
/// checked against the proto's service definition when it is registered; methods of the service
/// left unregistered answer UNIMPLEMENTED.
/// </summary>
public sealed class RpcServiceBuilder
{
    private readonly ServerShared _shared;
    private readonly Dictionary<string, ServerMethodHandler> _handlers = new(StringComparer.Ordinal);

    internal RpcServiceBuilder(ServiceDescriptor service, ServerShared shared)
    {
        Service = service;
        _shared = shared;
    }

    /// <summary>The service being registered.</summary>
    public ServiceDescriptor Service { get; }

    internal IEnumerable<ServerMethodHandler> Handlers => _handlers.Values;

    /// <summary>Serves the unary method <paramref name="methodName"/> with <paramref name="handler"/>.</summary>
    /// <exception cref="ArgumentException">The method is missing from the proto, is not unary, has other message types, or is registered twice.</exception>
    public RpcServiceBuilder Unary<TRequest, TResponse>(string methodName, Func<TRequest, RpcCallContext, Task<TResponse>> handler)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>, new()
        => Unary(RpcMethod.Unary<TRequest, TResponse>(Service, methodName), handler);

    /// <summary>Serves a unary method described by <paramref name="method"/>, which must belong to this service.</summary>
    public RpcServiceBuilder Unary<TRequest, TResponse>(RpcMethod<TRequest, TResponse> method, Func<TRequest, RpcCallContext, Task<TResponse>> handler)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(handler);
        Check(method, RpcMethodType.Unary);
        return Add(new UnaryServerMethod<TRequest, TResponse>(method, handler, _shared));
    }

    /// <summary>Serves the server-streaming method <paramref name="methodName"/> with <paramref name="handler"/>.</summary>
    /// <exception cref="ArgumentException">The method is missing from the proto, is not server-streaming, has other message types, or is registered twice.</exception>
    public RpcServiceBuilder ServerStreaming<TRequest, TResponse>(string methodName, Func<TRequest, IRpcStreamWriter<TResponse>, RpcCallContext, Task> handler)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>, new()
        => ServerStreaming(RpcMethod.ServerStreaming<TRequest, TResponse>(Service, methodName), handler);

    /// <summary>Serves a server-streaming method described by <paramref name="method"/>, which must belong to this service.</summary>
    public RpcServiceBuilder ServerStreaming<TRequest, TResponse>(RpcMethod<TRequest, TResponse> method, Func<TRequest, IRpcStreamWriter<TResponse>, RpcCallContext, Task> handler)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(handler);
        Check(method, RpcMethodType.ServerStreaming);
        return Add(new ServerStreamingServerMethod<TRequest, TResponse>(method, handler, _shared));
    }

    private void Check<TRequest, TResponse>(RpcMethod<TRequest, TResponse> method, RpcMethodType type)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(method);
        if (method.ServiceName != Service.FullName)
            throw new ArgumentException($"The method {method.FullName} does not belong to the service {Service.FullName}.", nameof(method));
        if (method.Type != type)
            throw new ArgumentException($"The method {method.FullName} is {method.Type}, not {type}.", nameof(method));
    }

    private RpcServiceBuilder Add(ServerMethodHandler handler)
    {
        if (!_handlers.TryAdd(handler.Path, handler))
            throw new ArgumentException($"The method {handler.Path} is registered twice.");
        return this;
    }
}
