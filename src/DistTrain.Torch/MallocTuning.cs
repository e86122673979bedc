namespace DistTrain.Torch;

/// <summary>
/// What DistTrain changed in glibc's malloc when its native library loaded (see <see cref="torch.malloc_tuning"/>).
/// </summary>
[Flags]
public enum MallocTuning
{
    /// <summary>Malloc left alone: <c>DISTTRAIN_MALLOC_TUNING=0</c>, the user set both thresholds, or not glibc.</summary>
    None = 0,

    /// <summary>Blocks up to 32 MiB come from the heap instead of a fresh mmap each time.</summary>
    MmapThreshold = 1,

    /// <summary>Up to 1 GiB of freed memory stays with the process instead of being returned after every step.</summary>
    TrimThreshold = 2,
}
