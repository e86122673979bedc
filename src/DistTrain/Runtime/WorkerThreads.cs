namespace DistTrain.Runtime;

/// <summary>
/// How many threads a rank computes with. Threads add up across the ranks of a node: intra-op threads
/// × BLAS threads × ranks must not exceed the cores, or every step gets several times slower. LibTorch's
/// MKL and OpenMP follow the intra-op setting, so a rank gets its share of the cores for one and 1 for
/// the other.
/// </summary>
public static class WorkerThreads
{
    /// <summary>
    /// The intra-op threads of one of <paramref name="localWorldSize"/> ranks on a node with
    /// <paramref name="cores"/> cores: <paramref name="requested"/> when given, else OMP_NUM_THREADS
    /// (<paramref name="ompNumThreads"/>) when set, else the cores split evenly (at least 1).
    /// </summary>
    public static int IntraOp(int? requested, int? ompNumThreads, int cores, int localWorldSize)
    {
        if (requested is { } r)
            return r >= 1 ? r : throw new ArgumentOutOfRangeException(nameof(requested), r, $"The intra-op thread count ({r}) must be at least 1.");
        if (ompNumThreads is { } omp && omp >= 1) return omp;
        return Math.Max(1, cores / Math.Max(1, localWorldSize));
    }
}
