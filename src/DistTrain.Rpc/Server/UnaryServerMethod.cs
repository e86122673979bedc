using Google.Protobuf;
namespace DistTrain.Rpc.Server;

/// <summary>Serves a unary method: one request, the handler's one response.</summary>
internal sealed class UnaryServerMethod<TRequest, TResponse> : ServerMethodHandler
    where TRequest : IMessage<TRequest>, new()
    where TResponse : IMessage<TResponse>, new()
{
    private readonly RpcMethod<TRequest, TResponse> _method;
    private readonly Func<TRequest, RpcCallContext, Task<TResponse>> _handler;

    public UnaryServerMethod(RpcMethod<TRequest, TResponse> method, Func<TRequest, RpcCallContext, Task<TResponse>> handler, ServerShared shared)
        : base(method.FullName, shared)
    {
        _method = method;
        _handler = handler;
    }

    protected override async Task InvokeAsync(ServerCall call)
    {
        var request = await call.ReadRequestAsync(_method.RequestParser).ConfigureAwait(false);
        var response = await _handler(request, call.Context).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The handler of {_method.FullName} returned null.");
        await call.WriteMessageAsync(response, CancellationToken.None).ConfigureAwait(false);
    }
}
