using DistTrain.Coordinator.Hosting;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace DistTrain.Coordinator.Service;

/// <summary>
/// Ends every open call at once with UNAVAILABLE when the coordinator stops, instead of letting
/// Kestrel wait for them (joins, store waits and watches last minutes) and then reset them. Each call's
/// handler sees a token that also fires on <see cref="CoordinatorHealth.Stopping"/>.
/// </summary>
internal sealed class ShutdownInterceptor(CoordinatorHealth health) : Interceptor
{
    /// <inheritdoc />
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        using var call = new StoppingCallContext(context, health.Stopping);
        try
        {
            return await continuation(request, call).ConfigureAwait(false);
        }
        catch (Exception ex) when (Stopped(ex))
        {
            throw StatusMapping.ShuttingDown();
        }
    }

    /// <inheritdoc />
    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var call = new StoppingCallContext(context, health.Stopping);
        try
        {
            await continuation(request, responseStream, call).ConfigureAwait(false);
        }
        catch (Exception ex) when (Stopped(ex))
        {
            throw StatusMapping.ShuttingDown();
        }
    }

    private bool Stopped(Exception ex) => ex is OperationCanceledException && health.Stopping.IsCancellationRequested;
}
