namespace DistTrain.Protocol.DataPlan;

/// <summary>
/// Where a job is in a dataset's plan: the epoch, and how many ids of that epoch's order were
/// consumed (trained on). This pair, with the <see cref="DataPlanSpec"/>, is the whole state a
/// checkpoint stores and a new world resumes from.
/// </summary>
/// <param name="Epoch">The epoch, from 0.</param>
/// <param name="Consumed">Ids of <paramref name="Epoch"/> consumed, from 0; the next step starts at this position of the epoch's order.</param>
public readonly record struct PlanPosition(long Epoch, long Consumed)
{
    /// <summary>The start of epoch 0.</summary>
    public static PlanPosition Start => default;

    /// <summary>
    /// This position checked against a dataset of <paramref name="size"/> ids, with a complete epoch
    /// (<see cref="Consumed"/> = size) written as the start of the next one.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The epoch is negative, or <see cref="Consumed"/> is outside [0, size].</exception>
    public PlanPosition Normalize(long size)
    {
        if (Epoch < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Epoch), Epoch, $"The epoch ({Epoch}) must not be negative.");
        }

        if (Consumed < 0 || Consumed > size)
        {
            throw new ArgumentOutOfRangeException(nameof(Consumed), Consumed, $"The ids consumed ({Consumed}) must be in [0, {size}], the dataset size.");
        }

        return Consumed == size ? new PlanPosition(Epoch + 1, 0) : this;
    }

    /// <summary>Whether this position comes before <paramref name="other"/> (epoch first, then ids consumed).</summary>
    public bool IsBefore(PlanPosition other) => Epoch < other.Epoch || (Epoch == other.Epoch && Consumed < other.Consumed);

    /// <inheritdoc />
    public override string ToString() => $"epoch {Epoch}, {Consumed} consumed";
}
