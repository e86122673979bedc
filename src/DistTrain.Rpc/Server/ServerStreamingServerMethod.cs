using Google.Protobuf;
namespace DistTrain.Rpc.Server;

/// <summary>Serves a server-streaming method: one request, as many responses as the handler writes.</summary>
internal sealed class ServerStreamingServerMethod<TRequest, TResponse> : ServerMethodHandler
    where TRequest : IMessage<TRequest>, new()
    where TResponse : IMessage<TResponse>, new()
{
    private readonly RpcMethod<TRequest, TResponse> _method;
    private readonly Func<TRequest, IRpcStreamWriter<TResponse>, RpcCallContext, Task> _handler;

    public ServerStreamingServerMethod(RpcMethod<TRequest, TResponse> method, Func<TRequest, IRpcStreamWriter<TResponse>, RpcCallContext, Task> handler, ServerShared shared)
        : base(method.FullName, shared)
    {
        _method = method;
        _handler = handler;
    }

    protected override async Task InvokeAsync(ServerCall call)
    {
        var request = await call.ReadRequestAsync(_method.RequestParser).ConfigureAwait(false);
        await _handler(request, new StreamWriter(call), call.Context).ConfigureAwait(false);
    }

    private sealed class StreamWriter(ServerCall call) : IRpcStreamWriter<TResponse>
    {
        public Task WriteAsync(TResponse message, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(message);
            return call.WriteMessageAsync(message, cancellationToken);
        }
    }
}
