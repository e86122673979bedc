namespace DistTrain.Protocol.DataPlan;

/// <summary>
/// What every rank needs, besides the position, to compute its ids of a dataset: the permutation's
/// seed, the number of ids and how many of them one global step consumes (summed over ranks).
/// Validated when built.
/// </summary>
public sealed record DataPlanSpec
{
    /// <summary>A plan over <paramref name="size"/> ids in global steps of <paramref name="globalBatch"/>.</summary>
    /// <param name="seed">Seeds every epoch's permutation.</param>
    /// <param name="size">Ids (samples, or shards) in the dataset, at least 1.</param>
    /// <param name="globalBatch">Ids per global step over all ranks, in [1, size].</param>
    /// <param name="shuffle">Whether each epoch is permuted; false keeps the ids in order.</param>
    /// <exception cref="ArgumentOutOfRangeException">The size is below 1, or the global batch is outside [1, size].</exception>
    public DataPlanSpec(ulong seed, long size, long globalBatch, bool shuffle = true)
    {
        if (size < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"The dataset size ({size}) must be at least 1.");
        }

        if (globalBatch < 1 || globalBatch > size)
        {
            throw new ArgumentOutOfRangeException(nameof(globalBatch), globalBatch, $"The global batch ({globalBatch}) must be in [1, {size}], the dataset size.");
        }

        Seed = seed;
        Size = size;
        GlobalBatch = globalBatch;
        Shuffle = shuffle;
    }

    /// <summary>Seeds every epoch's permutation.</summary>
    public ulong Seed { get; }

    /// <summary>Ids in the dataset: [0, Size).</summary>
    public long Size { get; }

    /// <summary>Ids per global step, summed over all ranks.</summary>
    public long GlobalBatch { get; }

    /// <summary>Whether each epoch is permuted.</summary>
    public bool Shuffle { get; }

    /// <summary>The order of <paramref name="epoch"/>.</summary>
    public EpochPermutation Order(long epoch) => new(Seed, epoch, Size, Shuffle);
}
