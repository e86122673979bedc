namespace DistTrain.Rpc;

/// <summary>
/// How idempotent calls are retried after UNAVAILABLE (the server could not be reached or said it
/// is unavailable): up to <see cref="MaxAttempts"/> attempts, waiting a random time between zero
/// and an exponentially growing backoff between them ("full jitter"), never past the call's deadline.
/// Calls not marked idempotent are never retried.
/// </summary>
public sealed class RpcRetryPolicy
{
    /// <summary>Attempts in all, the first included; 1 turns retries off.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The backoff ceiling before the second attempt.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The largest backoff ceiling.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The factor the ceiling grows by after each attempt.</summary>
    public double BackoffMultiplier { get; init; } = 2.0;

    /// <summary>Throws when a setting is out of range, naming the value and the rule.</summary>
    public void Validate()
    {
        if (MaxAttempts < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxAttempts), MaxAttempts, $"The maximum number of attempts ({MaxAttempts}) must be at least 1.");
        if (InitialBackoff <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(InitialBackoff), InitialBackoff, $"The initial backoff ({InitialBackoff}) must be positive.");
        if (MaxBackoff < InitialBackoff)
            throw new ArgumentOutOfRangeException(nameof(MaxBackoff), MaxBackoff, $"The maximum backoff ({MaxBackoff}) must be at least the initial backoff ({InitialBackoff}).");
        if (BackoffMultiplier < 1.0)
            throw new ArgumentOutOfRangeException(nameof(BackoffMultiplier), BackoffMultiplier, $"The backoff multiplier ({BackoffMultiplier}) must be at least 1.");
    }

    /// <summary>The ceiling of the wait after attempt <paramref name="attempt"/> (1-based) failed.</summary>
    public TimeSpan BackoffCeiling(int attempt)
    {
        var ticks = InitialBackoff.Ticks * Math.Pow(BackoffMultiplier, attempt - 1);
        return ticks >= MaxBackoff.Ticks ? MaxBackoff : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>A random wait in [0, <see cref="BackoffCeiling"/>] after attempt <paramref name="attempt"/> failed.</summary>
    public TimeSpan NextDelay(int attempt) =>
        TimeSpan.FromTicks((long)(BackoffCeiling(attempt).Ticks * Random.Shared.NextDouble()));
}
