namespace DistTrain.Rpc;

/// <summary>The standard gRPC status codes; the numeric values are those sent in <c>grpc-status</c>.</summary>
public enum StatusCode
{
    /// <summary>The call succeeded.</summary>
    Ok = 0,
    /// <summary>The call was cancelled, usually by the caller.</summary>
    Cancelled = 1,
    /// <summary>An error with no better code, or a status the peer sent that this library does not know.</summary>
    Unknown = 2,
    /// <summary>The caller gave an argument that is invalid whatever the state of the system.</summary>
    InvalidArgument = 3,
    /// <summary>The deadline passed before the call completed.</summary>
    DeadlineExceeded = 4,
    /// <summary>A requested entity was not found.</summary>
    NotFound = 5,
    /// <summary>The entity the caller tried to create already exists.</summary>
    AlreadyExists = 6,
    /// <summary>The caller is known but may not do this.</summary>
    PermissionDenied = 7,
    /// <summary>A resource ran out, for example a message exceeded the maximum size.</summary>
    ResourceExhausted = 8,
    /// <summary>The system is not in a state in which the call can run.</summary>
    FailedPrecondition = 9,
    /// <summary>The call was aborted, typically by a concurrency conflict.</summary>
    Aborted = 10,
    /// <summary>The call went past the valid range.</summary>
    OutOfRange = 11,
    /// <summary>The method is not implemented or not supported by the server.</summary>
    Unimplemented = 12,
    /// <summary>An invariant the system relies on was broken; also unparseable messages.</summary>
    Internal = 13,
    /// <summary>The service is unavailable right now; retrying may succeed.</summary>
    Unavailable = 14,
    /// <summary>Unrecoverable data loss or corruption.</summary>
    DataLoss = 15,
    /// <summary>The caller has no valid credentials.</summary>
    Unauthenticated = 16,
}
