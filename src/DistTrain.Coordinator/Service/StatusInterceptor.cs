using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace DistTrain.Coordinator.Service;

/// <summary>
/// Turns what a handler throws into the call's status: an <see cref="RpcException"/> as it is, a
/// domain failure as <see cref="StatusMapping"/> says, anything else as INTERNAL with a message that
/// names the method and not the exception (which is logged). A handler that stops because its call's
/// token fired (the caller went away, the deadline passed, the coordinator stops), or because the
/// caller's stream broke (an <see cref="IOException"/> from Kestrel, which Grpc.AspNetCore logs itself),
/// is left alone.
/// </summary>
internal sealed partial class StatusInterceptor(ILogger<StatusInterceptor> logger) : Interceptor
{
    /// <inheritdoc />
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (Exception ex) when (!Passes(ex, context))
        {
            throw ToStatus(ex, context);
        }
    }

    /// <inheritdoc />
    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
        }
        catch (Exception ex) when (!Passes(ex, context))
        {
            throw ToStatus(ex, context);
        }
    }

    private static bool Passes(Exception ex, ServerCallContext context) =>
        ex is RpcException or IOException || (ex is OperationCanceledException && context.CancellationToken.IsCancellationRequested);

    private RpcException ToStatus(Exception ex, ServerCallContext context)
    {
        if (StatusMapping.ToRpc(ex) is { } mapped)
        {
            return mapped;
        }

        LogUnexpected(ex, context.Method, context.Peer);
        return StatusMapping.Unexpected(context.Method);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A call to {Method} from {Peer} failed unexpectedly; the caller got INTERNAL")]
    private partial void LogUnexpected(Exception exception, string method, string peer);
}
