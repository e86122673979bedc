using DistTrain.Coordinator.DataPlan;
using DistTrain.Protocol.DataPlan;
using DistTrain.Protocol.V1;
using static DistTrain.Coordinator.Service.StatusMapping;

namespace DistTrain.Coordinator.Service;

/// <summary>
/// Data plan messages to domain types and back. A request field that breaks a rule is INVALID_ARGUMENT
/// naming the field as the proto spells it, its value and the rule.
/// </summary>
internal static class DataPlanMapping
{
    /// <summary>The longest dataset name accepted, in characters.</summary>
    public const int MaxNameLength = 256;

    /// <summary>The dataset of a registration, checked.</summary>
    public static DatasetDefinition ToDomain(DatasetPlan? dataset)
    {
        if (dataset is null)
        {
            throw Invalid("dataset must be set: the plan to register (name, seed, size, global_batch, shuffle, unit).");
        }

        var name = RequireName(dataset.Name, "dataset.name");
        if (dataset.Size < 1)
        {
            throw Invalid($"dataset.size ({dataset.Size}) must be at least 1: the number of samples (or shards) of '{name}'.");
        }

        if (dataset.GlobalBatch < 1 || dataset.GlobalBatch > dataset.Size)
        {
            throw Invalid($"dataset.global_batch ({dataset.GlobalBatch}) must be in [1, {dataset.Size}] (dataset.size): the ids one global step consumes over all ranks.");
        }

        var unit = dataset.Unit switch
        {
            DataUnit.Unspecified or DataUnit.Samples => DatasetUnit.Samples,
            DataUnit.Shards => DatasetUnit.Shards,
            _ => throw Invalid($"dataset.unit ({(int)dataset.Unit}) must be DATA_UNIT_SAMPLES or DATA_UNIT_SHARDS."),
        };
        return new DatasetDefinition(name, dataset.ToSpec(), unit);
    }

    /// <summary>The position of a commit, checked for what needs no dataset (the domain checks it against the size).</summary>
    public static PlanPosition ToDomain(DataPlanPosition? position)
    {
        if (position is null)
        {
            throw Invalid("position must be set: the epoch and the ids of it consumed.");
        }

        if (position.Epoch < 0)
        {
            throw Invalid($"position.epoch ({position.Epoch}) must not be negative.");
        }

        if (position.Consumed < 0)
        {
            throw Invalid($"position.consumed ({position.Consumed}) must not be negative.");
        }

        return new PlanPosition(position.Epoch, position.Consumed);
    }

    /// <summary><paramref name="name"/>, checked: 1..<see cref="MaxNameLength"/> characters.</summary>
    public static string RequireName(string name, string field = "name")
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw Invalid($"{field} must not be empty: the dataset's name, for example \"train\".");
        }

        return name.Length <= MaxNameLength ? name : throw Invalid($"{field} is {name.Length} characters long; at most {MaxNameLength} are allowed.");
    }

    /// <summary>The state as sent.</summary>
    public static DataPlanState ToProto(this DatasetState state) => new()
    {
        Dataset = new DatasetPlan
        {
            Name = state.Dataset.Name,
            Seed = state.Dataset.Plan.Seed,
            Size = state.Dataset.Plan.Size,
            GlobalBatch = state.Dataset.Plan.GlobalBatch,
            Shuffle = state.Dataset.Plan.Shuffle,
            Unit = state.Dataset.Unit == DatasetUnit.Shards ? DataUnit.Shards : DataUnit.Samples,
        },
        Position = new DataPlanPosition { Epoch = state.Position.Epoch, Consumed = state.Position.Consumed },
    };
}
