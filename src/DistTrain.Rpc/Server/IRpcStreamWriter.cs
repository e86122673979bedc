namespace DistTrain.Rpc;

/// <summary>Where a server-streaming handler writes its responses.</summary>
/// <typeparam name="T">The response message type.</typeparam>
public interface IRpcStreamWriter<in T>
{
    /// <summary>
    /// Sends one message and waits until the transport has accepted it (HTTP/2 flow control may make
    /// this wait for a slow reader). Throws <see cref="OperationCanceledException"/> once the call is
    /// cancelled or past its deadline, and <see cref="RpcException"/> (RESOURCE_EXHAUSTED) for a
    /// message larger than the server's maximum send size.
    /// </summary>
    Task WriteAsync(T message, CancellationToken cancellationToken = default);
}
