using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace DistTrain.Rpc;

/// <summary>The shapes of call this library speaks.</summary>
public enum RpcMethodType
{
    /// <summary>One request, one response.</summary>
    Unary,
    /// <summary>One request, a stream of responses.</summary>
    ServerStreaming,
}

/// <summary>
/// Builds <see cref="RpcMethod{TRequest, TResponse}"/> values from a proto's service definition, checking
/// them against it so that a typo or a wrong message type fails at start-up, not at call time.
/// </summary>
public static class RpcMethod
{
    /// <summary>A unary method of <paramref name="service"/>.</summary>
    /// <exception cref="ArgumentException">The service has no such method, it streams, or its message types are not TRequest/TResponse.</exception>
    public static RpcMethod<TRequest, TResponse> Unary<TRequest, TResponse>(ServiceDescriptor service, string name)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>, new()
        => Create<TRequest, TResponse>(service, name, RpcMethodType.Unary);

    /// <summary>A server-streaming method of <paramref name="service"/>.</summary>
    /// <exception cref="ArgumentException">The service has no such method, it is not server-streaming, or its message types are not TRequest/TResponse.</exception>
    public static RpcMethod<TRequest, TResponse> ServerStreaming<TRequest, TResponse>(ServiceDescriptor service, string name)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>, new()
        => Create<TRequest, TResponse>(service, name, RpcMethodType.ServerStreaming);

    /// <summary>Builds and checks a method of the given type.</summary>
    public static RpcMethod<TRequest, TResponse> Create<TRequest, TResponse>(ServiceDescriptor service, string name, RpcMethodType type)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var method = service.FindMethodByName(name)
            ?? throw new ArgumentException(
                $"The service '{service.FullName}' has no method '{name}'; it has: {string.Join(", ", service.Methods.Select(m => m.Name))}.", nameof(name));
        if (method.IsClientStreaming)
            throw new ArgumentException($"'{service.FullName}/{name}' is client-streaming, which this library does not support.", nameof(name));
        var actual = method.IsServerStreaming ? RpcMethodType.ServerStreaming : RpcMethodType.Unary;
        if (actual != type)
            throw new ArgumentException($"'{service.FullName}/{name}' is {actual} in the proto, not {type}.", nameof(name));
        CheckType(method, "input", method.InputType, new TRequest().Descriptor);
        CheckType(method, "output", method.OutputType, new TResponse().Descriptor);
        return new RpcMethod<TRequest, TResponse>(service.FullName, name, type);
    }

    private static void CheckType(MethodDescriptor method, string role, MessageDescriptor expected, MessageDescriptor given)
    {
        if (expected.FullName != given.FullName)
            throw new ArgumentException(
                $"'{method.Service.FullName}/{method.Name}' takes {expected.FullName} as its {role} in the proto, but the code gives {given.FullName}.");
    }
}

/// <summary>
/// One method of a gRPC service: its path (<c>/package.Service/Method</c>), its shape, and how to
/// read its messages. Build one with <see cref="RpcMethod.Unary{TRequest, TResponse}"/> or
/// <see cref="RpcMethod.ServerStreaming{TRequest, TResponse}"/>.
/// </summary>
public sealed class RpcMethod<TRequest, TResponse>
    where TRequest : IMessage<TRequest>, new()
    where TResponse : IMessage<TResponse>, new()
{
    internal RpcMethod(string serviceName, string name, RpcMethodType type)
    {
        ServiceName = serviceName;
        Name = name;
        Type = type;
        FullName = $"/{serviceName}/{name}";
    }

    /// <summary>The full service name, for example <c>disttrain.v1.Coordinator</c>.</summary>
    public string ServiceName { get; }

    /// <summary>The method name, for example <c>Join</c>.</summary>
    public string Name { get; }

    /// <summary>The HTTP/2 path, <c>/ServiceName/Name</c>.</summary>
    public string FullName { get; }

    /// <summary>Unary or server-streaming.</summary>
    public RpcMethodType Type { get; }

    internal MessageParser<TRequest> RequestParser { get; } = new(() => new TRequest());

    internal MessageParser<TResponse> ResponseParser { get; } = new(() => new TResponse());

    /// <inheritdoc />
    public override string ToString() => FullName;
}
