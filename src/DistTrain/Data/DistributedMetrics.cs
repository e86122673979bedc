using DistTrain.Distributed;
using TorchSharp;

namespace DistTrain.Data;

/// <summary>
/// Gathers evaluation results across the ranks of a data-parallel job. With a
/// <see cref="DistributedSampler"/> in evaluation mode each rank scores a disjoint part of the data
/// (every sample exactly once in all), so summing the per-rank counts gives the exact metric over the
/// whole dataset, the same on every rank.
/// </summary>
public static class DistributedMetrics
{
    /// <summary>
    /// Sums <paramref name="counts"/> element-wise across every rank of <paramref name="group"/> (one
    /// all-reduce; every rank must call it with the same number of counts) and returns the totals.
    /// </summary>
    /// <exception cref="CollectiveException">A peer failed or the collective timed out.</exception>
    public static long[] SumAcrossRanks(ProcessGroup group, params long[] counts)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(counts);
        if (group.size() == 1 || counts.Length == 0) return (long[])counts.Clone();
        using var totals = torch.tensor(counts);
        group.all_reduce(totals);
        return totals.data<long>().ToArray();
    }

    /// <summary>
    /// The accuracy over all ranks: the sum of every rank's <paramref name="correct"/> over the sum of
    /// every rank's <paramref name="total"/> (0 when nothing was scored).
    /// </summary>
    /// <exception cref="CollectiveException">A peer failed or the collective timed out.</exception>
    public static (double Accuracy, long Correct, long Total) Accuracy(ProcessGroup group, long correct, long total)
    {
        var sums = SumAcrossRanks(group, correct, total);
        return (sums[1] == 0 ? 0 : (double)sums[0] / sums[1], sums[0], sums[1]);
    }

    /// <summary>
    /// The confusion matrix over all ranks: every rank's <paramref name="local"/> counts summed in one
    /// all-reduce of C × C numbers (every rank must call it with the same number of classes). With each
    /// rank's share from an evaluation sampler, every sample is counted exactly once, and the result (and so
    /// its <see cref="ConfusionMatrix.Report"/>) is the same on every rank and equals one process's over all samples.
    /// </summary>
    /// <exception cref="CollectiveException">A peer failed, the collective timed out, or a peer has a different number of classes (<see cref="CollectiveMismatchException"/>).</exception>
    public static ConfusionMatrix SumAcrossRanks(ProcessGroup group, ConfusionMatrix local)
    {
        ArgumentNullException.ThrowIfNull(local);
        return ConfusionMatrix.FromCounts(local.NumClasses, SumAcrossRanks(group, local.ToArray()));
    }
}
