using System.Collections;
using static TorchSharp.torch;

namespace DistTrain.Data;

/// <summary>
/// Builds batches (read each sample, augment it, collate) on background threads, up to
/// <see cref="PrefetchBatches"/> batches ahead of the training step, so the step does not wait on data.
/// Use it in place of TorchSharp's DataLoader with any sampler of sample ids (<see cref="DistributedSampler"/>,
/// <see cref="DataPlanSampler"/>, an array): <c>foreach (var batch in loader)</c> gives
/// <see cref="PrefetchedBatch"/>es, <c>batch[0]</c>, <c>batch[1]</c>, … as DataLoader does.
/// </summary>
/// <remarks>
/// <para>
/// Each enumeration walks the sampler once (enumerate again for the next epoch, after <c>set_epoch</c>) and
/// cuts its ids into batches of <see cref="BatchSize"/> in order. Batch k always holds ids k·B … k·B + B − 1
/// and is built whole by one thread from <c>sample(id)</c> alone, and batches are yielded in order, so the
/// content and the order of the batches do not depend on how the threads are scheduled (give
/// <c>sample</c> no state that depends on call order: <see cref="Augmentation.SampleAugmentation"/> keys its
/// randomness on the sample id for this reason).
/// </para>
/// <para>
/// At most <see cref="PrefetchBatches"/> batches are built and not yet taken. A failure while building a
/// batch is thrown on the consumer's thread when it reaches that batch, as a <see cref="DataLoadException"/>
/// naming the sample id. Leaving the loop (break, an exception, disposing the enumerator) stops the threads:
/// the call returns once they have finished the sample they were on, and batches not yet taken are disposed.
/// With <c>numWorkers: 0</c> batches are built on the consumer's thread when taken (no prefetching).
/// </para>
/// <para>
/// <see cref="DataWait"/> adds up the time the consumer spent waiting for a batch that was not ready yet:
/// the "data wait" of a step breakdown.
/// </para>
/// </remarks>
public sealed class PrefetchingLoader : IEnumerable<PrefetchedBatch>
{
    private readonly IEnumerable<long> sampler;
    private readonly Func<long, IReadOnlyList<Tensor>> sample;
    private long waitTicks;
    private long batchesTaken;

    /// <summary>A loader of <paramref name="sampler"/>'s ids in batches of <paramref name="batchSize"/>.</summary>
    /// <param name="sampler">The ids to read, in order; enumerated once per enumeration of the loader, on a background thread.</param>
    /// <param name="batchSize">Samples per batch; the last batch may be smaller unless <paramref name="dropLast"/>.</param>
    /// <param name="sample">One sample's tensors (for example the augmented image and its label) for an id; called from several threads at once. Tensors it creates are disposed once collated.</param>
    /// <param name="numWorkers">Background threads building batches; 0 builds each batch on the consumer's thread when it is taken.</param>
    /// <param name="prefetchBatches">Batches built ahead of the consumer at most (the queue's bound).</param>
    /// <param name="dropLast">Drop a last batch smaller than <paramref name="batchSize"/>.</param>
    /// <param name="disposeBatches">Dispose each batch when the next one is taken (as TorchSharp's DataLoader does); false hands them to the caller.</param>
    /// <exception cref="ArgumentOutOfRangeException">The batch size or the prefetch depth is not positive, or the number of workers is negative.</exception>
    public PrefetchingLoader(IEnumerable<long> sampler, int batchSize, Func<long, IReadOnlyList<Tensor>> sample, int numWorkers = 2,
        int prefetchBatches = 4, bool dropLast = false, bool disposeBatches = true)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentNullException.ThrowIfNull(sample);
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"The batch size ({batchSize}) must be at least 1.");
        if (numWorkers < 0) throw new ArgumentOutOfRangeException(nameof(numWorkers), numWorkers, $"The number of workers ({numWorkers}) must not be negative (0 builds batches on the consumer's thread).");
        if (prefetchBatches < 1) throw new ArgumentOutOfRangeException(nameof(prefetchBatches), prefetchBatches, $"The prefetch depth ({prefetchBatches} batches) must be at least 1.");
        this.sampler = sampler;
        this.sample = sample;
        BatchSize = batchSize;
        NumWorkers = numWorkers;
        PrefetchBatches = prefetchBatches;
        DropLast = dropLast;
        DisposeBatches = disposeBatches;
    }

    /// <summary>Samples per batch.</summary>
    public int BatchSize { get; }
    /// <summary>Background threads building batches (0: none).</summary>
    public int NumWorkers { get; }
    /// <summary>Batches built ahead of the consumer at most.</summary>
    public int PrefetchBatches { get; }
    /// <summary>Whether a short last batch is dropped.</summary>
    public bool DropLast { get; }
    /// <summary>Whether each batch is disposed when the next is taken.</summary>
    public bool DisposeBatches { get; }

    /// <summary>Time the consumer waited for batches that were not ready, over every enumeration so far (with no workers: the time spent building them).</summary>
    public TimeSpan DataWait => TimeSpan.FromTicks(Interlocked.Read(ref waitTicks));

    /// <summary>Batches taken by the consumer, over every enumeration so far.</summary>
    public long BatchesTaken => Interlocked.Read(ref batchesTaken);

    /// <summary>Starts building this enumeration's batches and yields them in order.</summary>
    public IEnumerator<PrefetchedBatch> GetEnumerator() => new PrefetchRun(this, sampler, sample);

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // The consumer waited this long for a batch, or for the end of the enumeration (no batch).
    internal void RecordWait(TimeSpan waited, bool batch)
    {
        Interlocked.Add(ref waitTicks, waited.Ticks);
        if (batch) Interlocked.Increment(ref batchesTaken);
    }
}
