using static TorchSharp.torch;

namespace DistTrain.Checkpoints;

/// <summary>
/// The host copies of the last written snapshot, kept for the next one: copying a large state into memory that
/// is already mapped costs a memcpy, while fresh memory costs a page fault and the kernel zeroing every page too
/// (measured: about a sixth of a save's CPU time on a 93 MB state). At most one snapshot is in flight (the next save waits
/// for the previous one), so the pool holds one set: as much host memory as the state, between saves. Thread-safe.
/// </summary>
internal sealed class HostCopyPool : IDisposable
{
    private readonly Lock _lock = new();
    private Dictionary<string, Tensor> _kept = new(StringComparer.Ordinal);

    /// <summary>A kept copy named <paramref name="name"/> of <paramref name="like"/>'s shape and dtype, now the caller's; null when none fits.</summary>
    public Tensor? Take(string name, Tensor like)
    {
        lock (_lock)
        {
            if (!_kept.Remove(name, out var kept))
                return null;
            if (kept.dtype == like.dtype && kept.shape.SequenceEqual(like.shape))
                return kept;
            kept.Dispose();
            return null;
        }
    }

    /// <summary>Keeps <paramref name="copies"/> (now the pool's) for the next snapshot, freeing what the last one did not take.</summary>
    public void Keep(Dictionary<string, Tensor> copies)
    {
        Dictionary<string, Tensor> stale;
        lock (_lock)
        {
            stale = _kept;
            _kept = copies;
        }

        foreach (var tensor in stale.Values)
            tensor.Dispose();
    }

    /// <summary>Frees the kept copies.</summary>
    public void Dispose() => Keep(new Dictionary<string, Tensor>(StringComparer.Ordinal));
}
