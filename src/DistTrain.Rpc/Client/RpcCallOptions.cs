namespace DistTrain.Rpc;

/// <summary>Settings of one client call.</summary>
public sealed class RpcCallOptions
{
    /// <summary>How long the call may take, from when it starts; sent to the server as <c>grpc-timeout</c>.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>When the call must be done by. With <see cref="Timeout"/> as well, the earlier one wins.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>Metadata for this call, sent after the channel's default metadata.</summary>
    public RpcMetadata? Metadata { get; init; }

    /// <summary>Cancels the call (the client gets CANCELLED and the server's token fires).</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>
    /// Whether the call may safely run more than once; only such calls are retried after UNAVAILABLE
    /// (see <see cref="RpcChannelOptions.RetryPolicy"/>). A server-streaming call is retried only
    /// while no response has arrived.
    /// </summary>
    public bool Idempotent { get; init; }

    /// <summary>The effective deadline of a call starting at <paramref name="now"/>, or null for none.</summary>
    internal DateTimeOffset? EffectiveDeadline(DateTimeOffset now)
    {
        DateTimeOffset? fromTimeout = Timeout is { } t ? Protocol.DeadlineTimer.After(now, t) : null;
        if (fromTimeout is null)
            return Deadline;
        if (Deadline is null)
            return fromTimeout;
        return fromTimeout < Deadline ? fromTimeout : Deadline;
    }
}
