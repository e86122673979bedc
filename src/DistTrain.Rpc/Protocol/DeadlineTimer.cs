namespace DistTrain.Rpc.Protocol;

/// <summary>Deadline arithmetic that stays inside what timers and dates can hold.</summary>
internal static class DeadlineTimer
{
    /// <summary>The longest wait a <see cref="CancellationTokenSource"/> timer accepts (about 49.7 days).</summary>
    public static readonly TimeSpan MaxTimer = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    /// <summary><paramref name="now"/> + <paramref name="timeout"/>, or null for a timeout too long to time, which counts as none.</summary>
    public static DateTimeOffset? After(DateTimeOffset now, TimeSpan timeout) =>
        timeout >= MaxTimer ? null : now + timeout;

    /// <summary>Cancels <paramref name="source"/> after <paramref name="delay"/>, unless the delay is too long to time.</summary>
    public static void Arm(CancellationTokenSource source, TimeSpan delay)
    {
        if (delay < MaxTimer)
            source.CancelAfter(delay);
    }
}
