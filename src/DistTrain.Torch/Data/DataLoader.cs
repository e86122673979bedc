using System.Collections;

namespace DistTrain.Torch.Data;

/// <summary>
/// Iterates a dataset in mini-batches, as <c>torch.utils.data.DataLoader</c>. Each enumeration is one
/// epoch; with <c>shuffle</c> every epoch visits the samples in a new order drawn from a generator
/// seeded once with <c>seed</c>, so a run is repeatable. Each batch is gathered with one native call per
/// field; the caller owns (disposes) the tensors of each batch, for example inside a dispose scope.
/// </summary>
public sealed class DataLoader : IEnumerable<torch.Tensor[]>
{
    private readonly Random random;

    /// <summary>Batches of <paramref name="batchSize"/> samples from <paramref name="dataset"/>.</summary>
    /// <param name="dataset">The samples.</param>
    /// <param name="batchSize">Samples per batch (the last may be smaller unless <paramref name="dropLast"/>).</param>
    /// <param name="shuffle">Visit the samples in a new random order each epoch.</param>
    /// <param name="seed">Seeds the shuffling; null draws a seed from the system.</param>
    /// <param name="dropLast">Skip a last batch smaller than <paramref name="batchSize"/>.</param>
    public DataLoader(Dataset dataset, int batchSize, bool shuffle = false, int? seed = null, bool dropLast = false)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        this.dataset = dataset;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        random = seed is { } s ? new Random(s) : new Random();
    }

    /// <summary>The dataset iterated.</summary>
    public Dataset dataset { get; }

    /// <summary>Samples per batch.</summary>
    public int batchSize { get; }

    /// <summary>Whether each epoch is shuffled.</summary>
    public bool shuffle { get; }

    /// <summary>Whether a last, smaller batch is skipped.</summary>
    public bool dropLast { get; }

    /// <summary>The number of batches in one epoch.</summary>
    public long Count => dropLast ? dataset.Count / batchSize : (dataset.Count + batchSize - 1) / batchSize;

    /// <summary>Yields one epoch of batches: for a <see cref="TensorDataset"/>, one tensor per field, batch first.</summary>
    public IEnumerator<torch.Tensor[]> GetEnumerator()
    {
        var order = new long[dataset.Count];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        if (shuffle) random.Shuffle(order);
        for (long start = 0; start < order.Length; start += batchSize)
        {
            var length = (int)Math.Min(batchSize, order.Length - start);
            if (length < batchSize && dropLast) yield break;
            torch.Tensor[] batch;
            using (var indices = torch.tensor(new ReadOnlySpan<long>(order, (int)start, length)))
                batch = dataset.GetBatch(indices);
            yield return batch;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
