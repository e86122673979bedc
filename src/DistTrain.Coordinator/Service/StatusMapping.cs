using DistTrain.Coordinator.Rendezvous;
using DistTrain.Coordinator.Store;
using DistTrain.Rpc;

namespace DistTrain.Coordinator.Service;

/// <summary>The one place where the domain's exceptions become gRPC statuses.</summary>
internal static class StatusMapping
{
    /// <summary>Runs <paramref name="action"/>, turning a domain failure into the matching <see cref="RpcException"/>.</summary>
    public static async Task<T> MapAsync<T>(Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception ex) when (ToRpc(ex) is { } rpc)
        {
            throw rpc;
        }
    }

    /// <summary>As <see cref="MapAsync{T}"/>, for work that does not wait.</summary>
    public static Task<T> Map<T>(Func<T> action)
    {
        try
        {
            return Task.FromResult(action());
        }
        catch (Exception ex) when (ToRpc(ex) is { } rpc)
        {
            throw rpc;
        }
    }

    public static RpcException? ToRpc(Exception ex) => ex switch
    {
        InvalidJoinException => new RpcException(StatusCode.InvalidArgument, ex.Message),
        RendezvousTimeoutException => new RpcException(StatusCode.DeadlineExceeded, ex.Message),
        NodeRemovedException => new RpcException(StatusCode.Aborted, ex.Message),
        StoreTimeoutException => new RpcException(StatusCode.DeadlineExceeded, ex.Message),
        StoreClosedException => new RpcException(StatusCode.Aborted, ex.Message),
        StoreNamespaceNotFoundException => new RpcException(StatusCode.NotFound, ex.Message),
        StoreValueException => new RpcException(StatusCode.FailedPrecondition, ex.Message),
        _ => null,
    };

    /// <summary>An INVALID_ARGUMENT error for a request field that breaks a rule.</summary>
    public static RpcException Invalid(string message) => new(StatusCode.InvalidArgument, message);
}
