using TorchSharp;
using static TorchSharp.torch;

namespace DistTrain.Data;

/// <summary>
/// Counts of (actual class, predicted class) pairs over the samples a rank scored, for binary and
/// multi-class classification: row = actual, column = predicted, as scikit-learn's
/// <c>confusion_matrix</c>. Accumulate this rank's batches with <see cref="Update"/>, then sum every
/// rank's matrix once with <see cref="DistributedMetrics.SumAcrossRanks(Distributed.ProcessGroup, ConfusionMatrix)"/>
/// (one all-reduce of C × C counts) and read precision, recall and F1 from <see cref="Report"/>. With an
/// evaluation sampler (no padding) every sample is counted exactly once in the sum.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[] counts;

    /// <summary>An empty matrix over classes 0 … <paramref name="numClasses"/> − 1 (2 for binary classification).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 2 classes.</exception>
    public ConfusionMatrix(int numClasses)
    {
        if (numClasses < 2)
            throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, $"A confusion matrix needs at least 2 classes; got {numClasses} (binary classification has 2: negative 0 and positive 1).");
        NumClasses = numClasses;
        counts = new long[(long)numClasses * numClasses];
    }

    private ConfusionMatrix(int numClasses, long[] counts)
    {
        NumClasses = numClasses;
        this.counts = counts;
    }

    /// <summary>The number of classes C.</summary>
    public int NumClasses { get; }

    /// <summary>Samples of class <paramref name="actual"/> predicted as <paramref name="predicted"/>.</summary>
    public long this[int actual, int predicted] => counts[Index(actual, predicted)];

    /// <summary>Samples counted.</summary>
    public long Total => counts.Sum();

    /// <summary>The counts row by row (actual class major), C × C of them: what the all-reduce sums.</summary>
    public long[] ToArray() => (long[])counts.Clone();

    /// <summary>A matrix of <paramref name="numClasses"/> classes from counts laid out as <see cref="ToArray"/> gives them.</summary>
    /// <exception cref="ArgumentException">The number of counts is not C × C, or a count is negative.</exception>
    public static ConfusionMatrix FromCounts(int numClasses, long[] counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var empty = new ConfusionMatrix(numClasses);
        if (counts.LongLength != empty.counts.LongLength)
            throw new ArgumentException($"A confusion matrix of {numClasses} classes has {empty.counts.LongLength} counts; got {counts.LongLength}.", nameof(counts));
        if (counts.Any(c => c < 0))
            throw new ArgumentException("Confusion-matrix counts must not be negative.", nameof(counts));
        return new ConfusionMatrix(numClasses, (long[])counts.Clone());
    }

    /// <summary>Counts <paramref name="count"/> samples of class <paramref name="actual"/> predicted as <paramref name="predicted"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A class is outside [0, C) or the count is negative.</exception>
    public void Add(int actual, int predicted, long count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        counts[Index(actual, predicted)] += count;
    }

    /// <summary>
    /// Counts a batch: <paramref name="predictions"/> and <paramref name="targets"/> are 1-D integer tensors of
    /// class indices of the same length (for logits, pass <c>logits.argmax(1)</c>; for one sigmoid output,
    /// <c>(p &gt;= 0.5).to(int64)</c>). One bincount on the tensors' device, then C × C numbers copied to the host.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes differ, a tensor is not 1-D or not integral, or a class index is outside [0, C).</exception>
    public void Update(Tensor predictions, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(targets);
        if (predictions.ndim != 1 || targets.ndim != 1 || predictions.shape[0] != targets.shape[0])
            throw new ArgumentException($"Predictions and targets must be 1-D tensors of the same length; got [{string.Join(", ", predictions.shape)}] and [{string.Join(", ", targets.shape)}]. For logits pass logits.argmax(1).");
        if (!torch.is_integral(predictions.dtype) || !torch.is_integral(targets.dtype))
            throw new ArgumentException($"Predictions and targets must hold class indices (an integral type); got {predictions.dtype} and {targets.dtype}.");
        if (predictions.shape[0] == 0) return;
        using var scope = NewDisposeScope();
        var p = predictions.to(ScalarType.Int64);
        var t = targets.to(ScalarType.Int64);
        var (low, high) = (torch.minimum(p.min(), t.min()).item<long>(), torch.maximum(p.max(), t.max()).item<long>());
        if (low < 0 || high >= NumClasses)
            throw new ArgumentException($"Class indices must be in [0, {NumClasses - 1}] for {NumClasses} classes; this batch has indices in [{low}, {high}].");
        var batch = torch.bincount(t * NumClasses + p, minlength: NumClasses * NumClasses).cpu().data<long>().ToArray();
        for (var i = 0; i < counts.Length; i++) counts[i] += batch[i];
    }

    /// <summary>Precision, recall and F1 per class, macro and micro, and accuracy, from these counts.</summary>
    public ClassificationReport Report() => new(this);

    private long Index(int actual, int predicted)
    {
        if (actual < 0 || actual >= NumClasses)
            throw new ArgumentOutOfRangeException(nameof(actual), actual, $"The actual class must be in [0, {NumClasses - 1}].");
        if (predicted < 0 || predicted >= NumClasses)
            throw new ArgumentOutOfRangeException(nameof(predicted), predicted, $"The predicted class must be in [0, {NumClasses - 1}].");
        return (long)actual * NumClasses + predicted;
    }
}
