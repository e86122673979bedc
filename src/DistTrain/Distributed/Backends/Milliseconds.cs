namespace DistTrain.Distributed.Backends;

/// <summary>Timeouts as the native layers take them.</summary>
internal static class Milliseconds
{
    /// <summary>Whole milliseconds, rounded up (a positive timeout never becomes 0), capped at a century.</summary>
    public static long Of(TimeSpan timeout) => (long)Math.Ceiling(Math.Min(timeout.TotalMilliseconds, TimeSpan.FromDays(36500).TotalMilliseconds));
}
