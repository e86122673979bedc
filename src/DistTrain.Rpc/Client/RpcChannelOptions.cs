namespace DistTrain.Rpc;

/// <summary>Settings of an <see cref="RpcChannel"/>.</summary>
public sealed class RpcChannelOptions
{
    /// <summary>The largest response message accepted, in bytes, before and after decompression; larger ones fail the call with RESOURCE_EXHAUSTED. Default 4 MiB.</summary>
    public int MaxReceiveMessageSize { get; init; } = RpcServerOptions.DefaultMaxMessageSize;

    /// <summary>The largest request message sent, in bytes; larger ones fail with RESOURCE_EXHAUSTED before anything is sent. Default unlimited, as in grpc.</summary>
    public int MaxSendMessageSize { get; init; } = int.MaxValue;

    /// <summary>Metadata sent with every call, before the call's own (for example <c>authorization: Bearer …</c>).</summary>
    public RpcMetadata DefaultMetadata { get; init; } = new();

    /// <summary>How idempotent calls are retried after UNAVAILABLE.</summary>
    public RpcRetryPolicy RetryPolicy { get; init; } = new();

    /// <summary>How long opening a connection may take before the attempt fails with UNAVAILABLE. Used only when the channel builds its own handler.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a connection with calls in flight may stay silent before the client sends an HTTP/2
    /// ping; a peer that does not answer within <see cref="KeepAlivePingTimeout"/> is taken for dead
    /// and its calls fail with UNAVAILABLE. Null (the default) sends no pings. Long-lived streams to a
    /// peer that may vanish without closing its connection want this; note that grpcio servers
    /// close connections that ping more often than about every few minutes unless configured otherwise.
    /// Used only when the channel builds its own handler.
    /// </summary>
    public TimeSpan? KeepAlivePingDelay { get; init; }

    /// <summary>How long to wait for the answer to a keep-alive ping; at least 1 second. Default 20 seconds.</summary>
    public TimeSpan KeepAlivePingTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The HTTP handler to send calls through, for example a <see cref="SocketsHttpHandler"/> with
    /// its own TLS validation. It must speak HTTP/2. The channel does not dispose it. When null, the
    /// channel builds and owns a <see cref="SocketsHttpHandler"/> (no proxy, several HTTP/2 connections when streams run out).
    /// </summary>
    public HttpMessageHandler? HttpHandler { get; init; }
}
