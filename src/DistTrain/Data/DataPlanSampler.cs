using System.Collections;
using DistTrain.Protocol.DataPlan;

namespace DistTrain.Data;

/// <summary>
/// This rank's ids of a dataset for the rest of the current epoch, from a data plan: usable as
/// TorchSharp's DataLoader sampler, <c>DataLoader(dataset, sampler.batch_size, sampler)</c>, with every
/// id of every epoch read exactly once over the world, also after a failure or a change of world size
/// (no padding, no repeat, no skip; see <see cref="EpochSchedule"/> for the split).
/// </summary>
/// <remarks>
/// <para>
/// The sampler does not move by itself: enumerating it yields the ids of every step left from
/// <see cref="Position"/>, and the training loop calls <see cref="Advance"/> after each optimizer step
/// (on every rank). After the last step of an epoch the position is the next epoch's start, so the
/// next enumeration is the next epoch, in its own order. <see cref="Position"/> is what a checkpoint
/// stores; <see cref="Resume"/> continues from a stored one, in any world size.
/// </para>
/// <para>
/// DataLoader cuts the ids into batches of <see cref="batch_size"/>; each is exactly this rank's part of
/// one global step, since a rank's part of the last step is never larger than of the others. In the
/// last step of an epoch a rank may get fewer ids, or none when that step is shorter than the world:
/// the loader then yields one batch fewer on that rank. With DistributedDataParallel every rank must run
/// the same number of steps (<see cref="StepCount"/>): a rank whose <see cref="LocalSize"/> of the last
/// step is 0 runs that step on an empty batch with a sum-reduced loss (zero gradients, same all-reduce).
/// For an exact mean over unequal parts, sum the loss and scale it by world size / <see cref="GlobalSize"/>.
/// </para>
/// </remarks>
public sealed class DataPlanSampler : IEnumerable<long>
{
    private EpochSchedule _schedule; // always starts at Position: building one costs O(1)

    /// <summary>Rank <paramref name="rank"/>'s sampler of <paramref name="plan"/> in a world of <paramref name="worldSize"/>, from <paramref name="position"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The world size is outside [1, global batch], the rank outside the world, or the position outside the dataset.</exception>
    public DataPlanSampler(DataPlanSpec plan, int worldSize, int rank, PlanPosition position = default) =>
        _schedule = new EpochSchedule(plan, position, worldSize, rank);

    /// <summary>
    /// An evaluation sampler: the <paramref name="size"/> held-out ids in order, split into contiguous
    /// parts (sizes differing by at most one), so the ranks together score each id exactly once.
    /// Use any batch size with it; sum the per-rank counts with <see cref="DistributedMetrics"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The world size is larger than <paramref name="size"/>, or the rank is outside the world.</exception>
    public static DataPlanSampler Evaluation(long size, int worldSize, int rank) =>
        new(new DataPlanSpec(seed: 0, size, globalBatch: size, shuffle: false), worldSize, rank);

    /// <summary>The dataset's plan.</summary>
    public DataPlanSpec Plan => _schedule.Plan;

    /// <summary>Where this rank is: the epoch and the ids of it the world consumed (what a checkpoint stores).</summary>
    public PlanPosition Position => _schedule.Position;

    /// <summary>This rank's ids per full step: the DataLoader's batch size.</summary>
    public int batch_size => _schedule.BatchSize;

    /// <summary>Global steps left in the epoch from <see cref="Position"/>; the same on every rank.</summary>
    public long StepCount => _schedule.StepCount;

    /// <summary>Ids over all ranks in step <paramref name="step"/> from <see cref="Position"/> (0: the next step).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The step is outside [0, <see cref="StepCount"/>).</exception>
    public long GlobalSize(long step) => _schedule.GlobalSize(step);

    /// <summary>This rank's ids in step <paramref name="step"/> from <see cref="Position"/> (0 is possible only in the last step).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The step is outside [0, <see cref="StepCount"/>).</exception>
    public long LocalSize(long step) => _schedule.LocalSize(step);

    /// <summary>
    /// This rank's ids of step <paramref name="step"/> from <see cref="Position"/>, possibly none in the last
    /// step: for loops that run every step themselves instead of through a DataLoader.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The step is outside [0, <see cref="StepCount"/>).</exception>
    public long[] StepIds(long step) => _schedule.StepIds(step);

    /// <summary>Records that <paramref name="steps"/> more global steps were trained; past the epoch's last, the position is the next epoch's start.</summary>
    /// <exception cref="ArgumentOutOfRangeException">More steps than are left in the epoch.</exception>
    public void Advance(long steps = 1) => Resume(_schedule.PositionAfter(steps));

    /// <summary>Continues from <paramref name="position"/> (for example a checkpoint's), in this sampler's world.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The position is outside the dataset.</exception>
    public void Resume(PlanPosition position) => _schedule = new EpochSchedule(_schedule.Plan, position, _schedule.WorldSize, _schedule.Rank);

    /// <summary>This rank's ids of every step left from <see cref="Position"/>, step after step.</summary>
    public IEnumerator<long> GetEnumerator() => _schedule.Ids().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
