namespace DistTrain.Rpc;

/// <summary>Settings of every RPC service in a host; register with <c>services.AddRpc(o => ...)</c>.</summary>
public sealed class RpcServerOptions
{
    /// <summary>gRPC's default limit on a message, 4 MiB.</summary>
    public const int DefaultMaxMessageSize = 4 * 1024 * 1024;

    /// <summary>The largest request message accepted, in bytes, before and after decompression; larger ones get RESOURCE_EXHAUSTED.</summary>
    public int MaxReceiveMessageSize { get; set; } = DefaultMaxMessageSize;

    /// <summary>The largest response message sent, in bytes; a handler returning a larger one ends the call with RESOURCE_EXHAUSTED.</summary>
    public int MaxSendMessageSize { get; set; } = DefaultMaxMessageSize;

    /// <summary>
    /// Runs for every call to a registered method after its headers arrive and before its request
    /// body is read. Return null to let the call proceed, or the exception to answer with (for
    /// example <see cref="StatusCode.Unauthenticated"/> for a missing or wrong bearer token).
    /// Calls to unknown methods answer UNIMPLEMENTED without running it.
    /// </summary>
    public Func<RpcCallContext, RpcException?>? Authorize { get; set; }
}
