using DistTrain.Data;
using DistTrain.Distributed;
using static TorchSharp.torch;

namespace DistTrain.Training;

/// <summary>
/// Sums one epoch's losses (and, for validation, its confusion matrix) on this rank, then makes them the
/// job's: the sums are all-reduced and rank 0's resulting values broadcast, so that every rank holds the
/// same bits (a floating-point all-reduce may add in a different order on each rank) and takes the same
/// early-stopping decision.
/// </summary>
internal sealed class EpochMetrics(int numClasses)
{
    private double lossSum;
    private long samples;

    /// <summary>The confusion matrix being accumulated (null without classes).</summary>
    public ConfusionMatrix? Confusion { get; } = numClasses >= 2 ? new ConfusionMatrix(numClasses) : null;

    /// <summary>Adds a batch of <paramref name="batchSamples"/> samples whose mean loss was <paramref name="meanLoss"/>.</summary>
    public void AddLoss(double meanLoss, long batchSamples)
    {
        lossSum += meanLoss * batchSamples;
        samples += batchSamples;
    }

    /// <summary>The mean loss over every rank's samples (NaN when none), and the summed confusion matrix, alike on every rank.</summary>
    public (double MeanLoss, ConfusionMatrix? Confusion) Reduce(ProcessGroup? group)
    {
        if (group is null || group.size() == 1) return (samples == 0 ? double.NaN : lossSum / samples, Confusion);
        var confusion = Confusion is null ? null : DistributedMetrics.SumAcrossRanks(group, Confusion);
        using var sums = tensor(new[] { lossSum, samples });
        group.all_reduce(sums);
        group.broadcast(sums, src: 0);
        var (loss, count) = (sums[0].item<double>(), sums[1].item<double>());
        return (count == 0 ? double.NaN : loss / count, confusion);
    }
}
