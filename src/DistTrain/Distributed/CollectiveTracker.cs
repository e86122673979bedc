using System.Diagnostics;

namespace DistTrain.Distributed;

/// <summary>
/// A process group's collectives as telemetry sees them: how many were issued, the last one's name,
/// whether a wait is in progress (since when) and the total time spent waiting. Updated with
/// interlocked operations by the thread that issues or waits; read from any thread.
/// </summary>
internal sealed class CollectiveTracker
{
    private long _sequence;
    private string _last = "";
    private int _waiters;
    private long _waitingSinceUnixMs;
    private long _waitTicks;

    /// <summary>Counts a collective that was just issued.</summary>
    public void Issued(string collective)
    {
        Volatile.Write(ref _last, collective);
        Interlocked.Increment(ref _sequence);
    }

    /// <summary>Marks the start of a wait; returns the timestamp to pass to <see cref="EndWait"/>.</summary>
    public long BeginWait()
    {
        if (Interlocked.Increment(ref _waiters) == 1)
        {
            Volatile.Write(ref _waitingSinceUnixMs, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        }

        return Stopwatch.GetTimestamp();
    }

    /// <summary>Marks the end of the wait begun at <paramref name="started"/>.</summary>
    public void EndWait(long started)
    {
        Interlocked.Add(ref _waitTicks, Stopwatch.GetTimestamp() - started);
        if (Interlocked.Decrement(ref _waiters) == 0)
        {
            Volatile.Write(ref _waitingSinceUnixMs, 0);
        }
    }

    /// <summary>The time spent waiting so far, in <see cref="Stopwatch"/> ticks.</summary>
    public long WaitTicks => Interlocked.Read(ref _waitTicks);

    /// <summary>The counts as of now.</summary>
    public CollectiveState Snapshot()
    {
        var since = Volatile.Read(ref _waitingSinceUnixMs);
        return new CollectiveState(
            Interlocked.Read(ref _sequence), Volatile.Read(ref _last), since != 0,
            since != 0 ? DateTimeOffset.FromUnixTimeMilliseconds(since) : null,
            Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _waitTicks)));
    }
}

/// <summary>A process group's collectives at one moment (<see cref="ProcessGroup.Progress"/>).</summary>
/// <param name="Sequence">How many collectives this rank has issued on the group (1 after the first).</param>
/// <param name="Name">The last one's name (<c>all_reduce</c>, <c>broadcast</c>, <c>barrier</c>…); empty before the first.</param>
/// <param name="Waiting">Whether this rank is waiting for a collective to complete now.</param>
/// <param name="WaitingSince">Since when it waits; null when it does not.</param>
/// <param name="TotalWait">The time this rank has spent waiting for collectives so far (all waits added up).</param>
public readonly record struct CollectiveState(long Sequence, string Name, bool Waiting, DateTimeOffset? WaitingSince, TimeSpan TotalWait);
