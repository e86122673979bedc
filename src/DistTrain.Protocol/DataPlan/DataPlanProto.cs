using DistTrain.Protocol.V1;

namespace DistTrain.Protocol.DataPlan;

/// <summary>The data plan's messages (data_plan.proto) as the types the math takes.</summary>
public static class DataPlanProto
{
    /// <summary>The plan <paramref name="dataset"/> describes.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The size or the global batch breaks its rule.</exception>
    public static DataPlanSpec ToSpec(this DatasetPlan dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return new DataPlanSpec(dataset.Seed, dataset.Size, dataset.GlobalBatch, dataset.Shuffle);
    }

    /// <summary>The position <paramref name="position"/> holds (the start of epoch 0 when it is unset).</summary>
    public static PlanPosition ToPosition(this DataPlanPosition? position) =>
        position is null ? PlanPosition.Start : new PlanPosition(position.Epoch, position.Consumed);
}
