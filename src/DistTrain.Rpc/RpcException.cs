namespace DistTrain.Rpc;

/// <summary>
/// A call ended with a status other than <see cref="StatusCode.Ok"/>. Servers throw it from a handler
/// to answer with that status; clients receive it with the status and message the server sent.
/// </summary>
public sealed class RpcException : Exception
{
    /// <summary>Creates the exception with a status, a human-readable detail and optional trailers.</summary>
    public RpcException(StatusCode status, string detail, RpcMetadata? trailers = null, Exception? innerException = null)
        : base($"Status(StatusCode=\"{status}\", Detail=\"{detail}\")", innerException)
    {
        Status = status;
        Detail = detail;
        Trailers = trailers ?? new RpcMetadata();
    }

    /// <summary>The status code.</summary>
    public StatusCode Status { get; }

    /// <summary>The status message (<c>grpc-message</c>).</summary>
    public string Detail { get; }

    /// <summary>
    /// Custom trailers: on the client, those the server sent; on the server, extra trailers to send with the error.
    /// </summary>
    public RpcMetadata Trailers { get; }
}
