using DistTrain.Coordinator.Checkpoints;
using DistTrain.Coordinator.DataPlan;
using DistTrain.Coordinator.Rendezvous;
using DistTrain.Coordinator.Store;
using Grpc.Core;

namespace DistTrain.Coordinator.Service;

/// <summary>The one place where the domain's exceptions become gRPC statuses (applied by <see cref="StatusInterceptor"/>).</summary>
internal static class StatusMapping
{
    /// <summary>The status a domain failure answers with, carrying its message; null for an exception the domain does not raise.</summary>
    public static RpcException? ToRpc(Exception ex) => ex switch
    {
        InvalidJoinException => Status(StatusCode.InvalidArgument, ex),
        RendezvousTimeoutException => Status(StatusCode.DeadlineExceeded, ex),
        NodeRemovedException => Status(StatusCode.Aborted, ex),
        StoreTimeoutException => Status(StatusCode.DeadlineExceeded, ex),
        StoreClosedException => Status(StatusCode.Aborted, ex),
        StoreNamespaceNotFoundException => Status(StatusCode.NotFound, ex),
        StoreValueException => Status(StatusCode.FailedPrecondition, ex),
        DatasetNotFoundException => Status(StatusCode.NotFound, ex),
        DatasetConflictException => Status(StatusCode.FailedPrecondition, ex),
        InvalidPositionException => Status(StatusCode.InvalidArgument, ex),
        PositionBehindException => Status(StatusCode.FailedPrecondition, ex),
        CheckpointsDisabledException => Status(StatusCode.FailedPrecondition, ex),
        UnknownAttemptException => Status(StatusCode.FailedPrecondition, ex),
        InvalidReportException => Status(StatusCode.InvalidArgument, ex),
        DuplicateFileException => Status(StatusCode.FailedPrecondition, ex),
        CheckpointCommitFailedException => Status(StatusCode.Aborted, ex),
        _ => null,
    };

    /// <summary>An INVALID_ARGUMENT error for a request field that breaks a rule.</summary>
    public static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));

    /// <summary>The UNAVAILABLE error of a call the coordinator ends because it stops.</summary>
    public static RpcException ShuttingDown() =>
        new(new Status(StatusCode.Unavailable, "The coordinator is shutting down; retry against its replacement, or join again when it is back."));

    /// <summary>The INTERNAL error of a handler that failed unexpectedly; the exception itself goes to the coordinator's log only.</summary>
    public static RpcException Unexpected(string method) =>
        new(new Status(StatusCode.Internal, $"The coordinator failed while handling {method}; its log has the details."));

    private static RpcException Status(StatusCode code, Exception ex) => new(new Status(code, ex.Message));
}
