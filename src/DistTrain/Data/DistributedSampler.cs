using System.Collections;

namespace DistTrain.Data;

/// <summary>
/// Splits a dataset's indices across the ranks of a data-parallel job, as PyTorch's
/// <c>torch.utils.data.distributed.DistributedSampler</c>, usable as TorchSharp's DataLoader sampler:
/// <c>DataLoader(dataset, batchSize, sampler)</c>. Every rank builds the same sampler (same seed) and
/// takes every <c>num_replicas</c>-th index of a common order, starting at its rank.
/// <list type="bullet">
/// <item>Training (the default): the order is a permutation seeded with <c>seed + epoch</c> (call
/// <see cref="set_epoch"/> before each epoch so each epoch differs), padded by repeating its first
/// indices (or, with <c>drop_last</c>, truncated) to a multiple of <c>num_replicas</c>, so every rank
/// gets the same number of samples and therefore of batches (DDP needs every rank to step together).</item>
/// <item>Evaluation (<c>evaluation: true</c>): no padding and no truncation, so every sample is visited
/// exactly once across the ranks and metrics are not skewed by duplicates; ranks may get one sample more
/// or less than each other. Sum per-rank counts across ranks with <see cref="DistributedMetrics"/>.</item>
/// </list>
/// </summary>
public sealed class DistributedSampler : IEnumerable<long>
{
    private long epoch;

    /// <summary>A sampler over <paramref name="datasetSize"/> samples for rank <paramref name="rank"/> of <paramref name="num_replicas"/>.</summary>
    /// <param name="datasetSize">Samples in the dataset.</param>
    /// <param name="num_replicas">Ranks sharing the dataset (the world size).</param>
    /// <param name="rank">This rank, in [0, <paramref name="num_replicas"/>).</param>
    /// <param name="shuffle">Permute the indices each epoch (seeded); otherwise keep them in order.</param>
    /// <param name="seed">Seeds the permutation; must be the same on every rank.</param>
    /// <param name="drop_last">In training, drop the tail instead of padding with repeated samples.</param>
    /// <param name="evaluation">Visit every sample exactly once (uneven shards, no padding).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative, the rank is outside [0, num_replicas), or num_replicas is below 1.</exception>
    public DistributedSampler(long datasetSize, int num_replicas, int rank, bool shuffle = true, int seed = 0, bool drop_last = false,
        bool evaluation = false)
    {
        if (datasetSize < 0)
            throw new ArgumentOutOfRangeException(nameof(datasetSize), datasetSize, $"The dataset size ({datasetSize}) must not be negative.");
        if (num_replicas < 1)
            throw new ArgumentOutOfRangeException(nameof(num_replicas), num_replicas, $"The number of replicas ({num_replicas}) must be at least 1.");
        if (rank < 0 || rank >= num_replicas)
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"The rank ({rank}) must be in [0, {num_replicas - 1}] for {num_replicas} replicas.");
        if (evaluation && drop_last)
            throw new ArgumentException("Evaluation visits every sample exactly once, so it cannot drop the last samples (drop_last).", nameof(drop_last));
        DatasetSize = datasetSize;
        this.num_replicas = num_replicas;
        this.rank = rank;
        this.shuffle = shuffle;
        this.seed = seed;
        this.drop_last = drop_last;
        this.evaluation = evaluation;
        TotalSize = evaluation ? datasetSize
            : drop_last ? datasetSize / num_replicas * num_replicas
            : (datasetSize + num_replicas - 1) / num_replicas * num_replicas;
    }

    /// <summary>Samples in the dataset.</summary>
    public long DatasetSize { get; }
    /// <summary>Ranks sharing the dataset.</summary>
    public int num_replicas { get; }
    /// <summary>This rank.</summary>
    public int rank { get; }
    /// <summary>Whether each epoch is permuted.</summary>
    public bool shuffle { get; }
    /// <summary>The permutation's seed (added to the epoch).</summary>
    public int seed { get; }
    /// <summary>Whether training drops the tail instead of padding.</summary>
    public bool drop_last { get; }
    /// <summary>Whether every sample is visited exactly once (no padding).</summary>
    public bool evaluation { get; }
    /// <summary>The epoch set by <see cref="set_epoch"/> (0 at first).</summary>
    public long Epoch => epoch;

    /// <summary>Indices across all ranks in one epoch (padded or truncated in training).</summary>
    public long TotalSize { get; }

    /// <summary>This rank's number of indices per epoch.</summary>
    public long Count => TotalSize / num_replicas + (rank < TotalSize % num_replicas ? 1 : 0);

    /// <summary>Sets the epoch, which seeds the next permutation (<c>seed + epoch</c>); call it on every rank before each epoch.</summary>
    public void set_epoch(long epoch) => this.epoch = epoch;

    /// <summary>This rank's indices for the current epoch: positions rank, rank + num_replicas, … of the common order.</summary>
    public IEnumerator<long> GetEnumerator()
    {
        var order = CommonOrder();
        for (var i = (long)rank; i < TotalSize; i += num_replicas)
            yield return order[i % order.Length];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The order every rank shares: a seeded permutation or 0..n-1. Padding wraps around it.</summary>
    private long[] CommonOrder()
    {
        var order = new long[DatasetSize];
        for (var i = 0L; i < order.LongLength; i++) order[i] = i;
        if (shuffle) new Random(unchecked((int)(seed + epoch))).Shuffle(order);
        return order;
    }
}
