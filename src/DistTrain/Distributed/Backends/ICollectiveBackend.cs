using TorchSharp;

namespace DistTrain.Distributed.Backends;

/// <summary>
/// Contiguous memory a collective reads or writes: where it starts, how many elements, their type
/// and the device it lives on. Backends move bytes; they never see a tensor.
/// </summary>
internal readonly record struct CollectiveBuffer(IntPtr Data, long Count, torch.ScalarType Type, torch.Device Device);

/// <summary>How a collective ended, or that it still runs (<see cref="Native.WorkStatus.Pending"/>), and the backend's message.</summary>
internal readonly record struct CollectiveOutcome(Native.WorkStatus Status, string Message)
{
    public static readonly CollectiveOutcome Done = new(Native.WorkStatus.Done, "");
}

/// <summary>A collective in flight on a backend.</summary>
internal interface ICollectiveWork : IDisposable
{
    /// <summary>Waits at most <paramref name="timeout"/> (null: until the collective ends, which its own timeout bounds).</summary>
    CollectiveOutcome Wait(TimeSpan? timeout);

    /// <summary>Whether the collective has ended, successfully or not.</summary>
    bool IsCompleted { get; }
}

/// <summary>
/// What a process group's transport does: the collectives over raw memory, in issue order. The
/// arguments are checked by <see cref="ProcessGroup"/> before they get here.
/// </summary>
internal interface ICollectiveBackend : IDisposable
{
    /// <summary>The backend's name as PyTorch spells it.</summary>
    string Name { get; }

    /// <summary>The device type whose memory it moves.</summary>
    DeviceType DeviceType { get; }

    /// <summary>Whether sums go through shared memory (Gloo groups whose ranks share one host).</summary>
    bool UsesLocalAllReduce { get; }

    /// <summary>Why sums do or do not go through shared memory; empty where it does not apply.</summary>
    string LocalAllReduceStatus { get; }

    /// <summary>Whether an all_reduce of <paramref name="type"/> with <paramref name="op"/> goes through shared memory alone (the native library's LocalAllReduce::handles).</summary>
    bool ReducesThroughSharedMemory(torch.ScalarType type, ReduceOp op);

    /// <summary>Whether the backend can reduce elements of <paramref name="type"/> with <paramref name="op"/>; null when it can, else why not.</summary>
    string? CannotReduce(torch.ScalarType type, ReduceOp op);

    ICollectiveWork AllReduce(CollectiveBuffer data, ReduceOp op, TimeSpan timeout);
    ICollectiveWork Broadcast(CollectiveBuffer data, int root, TimeSpan timeout);
    /// <summary><paramref name="output"/> holds size × input.Count elements; rank i's input lands at i × input.Count.</summary>
    ICollectiveWork AllGather(CollectiveBuffer input, CollectiveBuffer output, TimeSpan timeout);
    /// <summary><paramref name="input"/> holds size × output.Count elements; output receives the reduction of block <c>rank</c>.</summary>
    ICollectiveWork ReduceScatter(CollectiveBuffer input, CollectiveBuffer output, ReduceOp op, TimeSpan timeout);
    ICollectiveWork Barrier(TimeSpan timeout);

    /// <summary>
    /// With every rank (a collective): <paramref name="bytes"/> per rank in one shared-memory segment; this
    /// rank's slab, or <see cref="IntPtr.Zero"/> with <paramref name="whyNot"/> when none could be made (on every rank alike).
    /// </summary>
    /// <exception cref="DistributedException">The collective failed (a peer is gone, the ranks asked for different sizes, a timeout).</exception>
    IntPtr CreateSharedBuffer(long bytes, TimeSpan timeout, out string whyNot);
}
