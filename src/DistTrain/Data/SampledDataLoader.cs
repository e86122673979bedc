using System.Collections;
using DistTrain.Torch;
using DistTrain.Torch.Data;

namespace DistTrain.Data;

/// <summary>
/// Iterates a dataset in mini-batches in the order a <see cref="Sampler"/> gives, as PyTorch's
/// <c>DataLoader(dataset, batch_size, sampler=sampler)</c>: with a <see cref="DistributedSampler"/> each
/// rank reads only its share. Each enumeration is one epoch (call the sampler's
/// <see cref="DistributedSampler.set_epoch"/> before it); each batch is gathered with one native call
/// per field, and the caller owns (disposes) the tensors of each batch.
/// </summary>
public sealed class SampledDataLoader : IEnumerable<torch.Tensor[]>
{
    /// <summary>Batches of <paramref name="batchSize"/> samples of <paramref name="dataset"/>, in <paramref name="sampler"/>'s order.</summary>
    /// <param name="dataset">The samples.</param>
    /// <param name="batchSize">Samples per batch (the last may be smaller unless <paramref name="dropLast"/>).</param>
    /// <param name="sampler">The indices to visit, in order.</param>
    /// <param name="dropLast">Skip a last batch smaller than <paramref name="batchSize"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The batch size is below 1.</exception>
    public SampledDataLoader(Dataset dataset, int batchSize, Sampler sampler, bool dropLast = false)
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
    /// <summary>Whether a last, smaller batch is skipped.</summary>
    public bool dropLast { get; }

    /// <summary>The number of batches in one epoch.</summary>
    public long Count => dropLast ? sampler.Count / batchSize : (sampler.Count + batchSize - 1) / batchSize;

    /// <summary>Yields one epoch of batches: one tensor per dataset field, batch first.</summary>
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

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
