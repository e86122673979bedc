namespace DistTrain.Protocol.DataPlan;

/// <summary>
/// One rank's part of the rest of an epoch, for one world: a pure function of (plan, position,
/// world size, rank) that every rank evaluates locally, with no state shared but those inputs.
/// </summary>
/// <remarks>
/// The ids not yet consumed, positions [consumed, size) of the epoch's order, are cut into
/// <see cref="StepCount"/> global steps of <see cref="DataPlanSpec.GlobalBatch"/> ids; the last
/// step holds the remainder (it may be shorter). Each step of g ids is split into contiguous parts,
/// one per rank in rank order: g / W ids each, one more for the first g % W ranks. The parts of a
/// step are disjoint and cover it, and the steps cover the rest of the epoch, so over the world every
/// id of the rest of the epoch is read exactly once: no padding, no repeat, no skip. A different
/// world started from the same position splits the same ids differently, which is how a job resumes
/// after a failure or a resize. Every rank has the same <see cref="StepCount"/>; in the last step a
/// rank may get fewer ids than in the others, or none when that step is shorter than the world
/// (<see cref="LocalSize"/> says so in advance).
/// </remarks>
public sealed class EpochSchedule
{
    private readonly EpochPermutation _order;

    /// <summary>Rank <paramref name="rank"/>'s part of the rest of the epoch at <paramref name="position"/>, in a world of <paramref name="worldSize"/>.</summary>
    /// <param name="plan">The dataset's plan.</param>
    /// <param name="position">Where the job is; a complete epoch (consumed = size) is the start of the next one.</param>
    /// <param name="worldSize">Ranks in the world, in [1, global batch]: every rank gets at least one id of every full step.</param>
    /// <param name="rank">This rank, in [0, worldSize).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument breaks its rule; the message shows the value and the rule.</exception>
    public EpochSchedule(DataPlanSpec plan, PlanPosition position, int worldSize, int rank)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (worldSize < 1 || worldSize > plan.GlobalBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(worldSize), worldSize,
                $"The world size ({worldSize}) must be in [1, {plan.GlobalBatch}], the global batch: every rank needs at least one id of every full step.");
        }

        if (rank < 0 || rank >= worldSize)
        {
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"The rank ({rank}) must be in [0, {worldSize - 1}] for a world of {worldSize}.");
        }

        Plan = plan;
        Position = position.Normalize(plan.Size);
        WorldSize = worldSize;
        Rank = rank;
        _order = plan.Order(Position.Epoch);
        var remaining = plan.Size - Position.Consumed;
        StepCount = (remaining + plan.GlobalBatch - 1) / plan.GlobalBatch;
    }

    /// <summary>The dataset's plan.</summary>
    public DataPlanSpec Plan { get; }

    /// <summary>Where the schedule starts (normalized: a complete epoch reads as the next one's start).</summary>
    public PlanPosition Position { get; }

    /// <summary>Ranks in the world.</summary>
    public int WorldSize { get; }

    /// <summary>This rank.</summary>
    public int Rank { get; }

    /// <summary>Global steps left in the epoch; the same on every rank.</summary>
    public long StepCount { get; }

    /// <summary>This rank's ids per full step: global batch / W, one more for the first global batch % W ranks.</summary>
    public int BatchSize => checked((int)ShareSize(Plan.GlobalBatch, Rank));

    /// <summary>Ids of global step <paramref name="step"/> over all ranks: the global batch, or the remainder for the last step.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The step is outside [0, <see cref="StepCount"/>).</exception>
    public long GlobalSize(long step)
    {
        CheckStep(step);
        return Math.Min(Plan.GlobalBatch, Plan.Size - StepStart(step));
    }

    /// <summary>This rank's ids in global step <paramref name="step"/> (0 is possible only in the last step).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The step is outside [0, <see cref="StepCount"/>).</exception>
    public long LocalSize(long step) => ShareSize(GlobalSize(step), Rank);

    /// <summary>This rank's ids of global step <paramref name="step"/>, in order.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The step is outside [0, <see cref="StepCount"/>).</exception>
    public long[] StepIds(long step)
    {
        var global = GlobalSize(step);
        var first = StepStart(step) + ShareOffset(global, Rank);
        var ids = new long[ShareSize(global, Rank)];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = _order[first + i];
        }

        return ids;
    }

    /// <summary>This rank's ids of every step left, step after step (computed as enumerated).</summary>
    public IEnumerable<long> Ids()
    {
        for (var step = 0L; step < StepCount; step++)
        {
            foreach (var id in StepIds(step))
            {
                yield return id;
            }
        }
    }

    /// <summary>The position after <paramref name="steps"/> more global steps (all of them: the start of the next epoch).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The steps are outside [0, <see cref="StepCount"/>].</exception>
    public PlanPosition PositionAfter(long steps)
    {
        if (steps < 0 || steps > StepCount)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), steps, $"The steps ({steps}) must be in [0, {StepCount}], the steps left in the epoch.");
        }

        var consumed = Math.Min(Plan.Size, Position.Consumed + steps * Plan.GlobalBatch);
        return new PlanPosition(Position.Epoch, consumed).Normalize(Plan.Size);
    }

    private long StepStart(long step) => Position.Consumed + step * Plan.GlobalBatch;

    private long ShareSize(long global, int rank) => global / WorldSize + (rank < global % WorldSize ? 1 : 0);

    private long ShareOffset(long global, int rank) => rank * (global / WorldSize) + Math.Min(rank, global % WorldSize);

    private void CheckStep(long step)
    {
        if (step < 0 || step >= StepCount)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, $"The step ({step}) must be in [0, {StepCount - 1}], the steps left in the epoch.");
        }
    }
}
