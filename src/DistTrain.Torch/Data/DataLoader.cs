using System.Collections;

namespace DistTrain.Torch.Data;

/// <summary>
/// Iterates a dataset in mini-batches, as <c>torch.utils.data.DataLoader</c>. Each enumeration is one epoch,
/// in the order of the loader's <see cref="sampler"/>: the samples in order, a new seeded random order each
/// epoch with <c>shuffle</c>, or any <see cref="Sampler"/> given (a <c>DistributedSampler</c> gives each rank
/// its share). Each batch is gathered with one native call per field; the caller owns (disposes) the tensors
/// of each batch, for example inside a dispose scope.
/// </summary>
public sealed class DataLoader : IEnumerable<torch.Tensor[]>
{
    /// <summary>Batches of <paramref name="batchSize"/> samples from <paramref name="dataset"/>.</summary>
    /// <param name="dataset">The samples.</param>
    /// <param name="batchSize">Samples per batch (the last may be smaller unless <paramref name="dropLast"/>).</param>
    /// <param name="shuffle">Visit the samples in a new random order each epoch.</param>
    /// <param name="seed">Seeds the shuffling; null draws a seed from the system.</param>
    /// <param name="dropLast">Skip a last batch smaller than <paramref name="batchSize"/>.</param>
    public DataLoader(Dataset dataset, int batchSize, bool shuffle = false, int? seed = null, bool dropLast = false)
        : this(dataset, batchSize, DefaultSampler(dataset, shuffle, seed), dropLast)
    {
    }

    /// <summary>Batches of <paramref name="batchSize"/> samples from <paramref name="dataset"/>, in <paramref name="sampler"/>'s order.</summary>
    /// <param name="dataset">The samples.</param>
    /// <param name="batchSize">Samples per batch (the last may be smaller unless <paramref name="dropLast"/>).</param>
    /// <param name="sampler">The indices to visit, in order, each epoch.</param>
    /// <param name="dropLast">Skip a last batch smaller than <paramref name="batchSize"/>.</param>
    public DataLoader(Dataset dataset, int batchSize, Sampler sampler, bool dropLast = false)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        this.dataset = dataset;
        this.batchSize = batchSize;
        this.sampler = sampler;
        this.dropLast = dropLast;
    }

    /// <summary>The dataset iterated.</summary>
    public Dataset dataset { get; }

    /// <summary>Samples per batch.</summary>
    public int batchSize { get; }

    /// <summary>The order of the samples.</summary>
    public Sampler sampler { get; }

    /// <summary>Whether each epoch comes in a new random order (the sampler is a <see cref="RandomSampler"/>).</summary>
    public bool shuffle => sampler is RandomSampler;

    /// <summary>Whether a last, smaller batch is skipped.</summary>
    public bool dropLast { get; }

    /// <summary>The number of batches in one epoch.</summary>
    public long Count => dropLast ? sampler.Count / batchSize : (sampler.Count + batchSize - 1) / batchSize;

    /// <summary>Yields one epoch of batches: for a <see cref="TensorDataset"/>, one tensor per field, batch first.</summary>
    public IEnumerator<torch.Tensor[]> GetEnumerator()
    {
        var indices = new long[batchSize];
        var filled = 0;
        foreach (var index in sampler)
        {
            indices[filled++] = index;
            if (filled < batchSize) continue;
            yield return Gather(indices, filled);
            filled = 0;
        }
        if (filled > 0 && !dropLast) yield return Gather(indices, filled);
    }

    private torch.Tensor[] Gather(long[] indices, int count)
    {
        using var index = torch.tensor(new ReadOnlySpan<long>(indices, 0, count));
        return dataset.GetBatch(index);
    }

    private static Sampler DefaultSampler(Dataset dataset, bool shuffle, int? seed)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return shuffle ? new RandomSampler(dataset.Count, seed) : new SequentialSampler(dataset.Count);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
