using System.Globalization;

namespace DistTrain.Checkpoints;

/// <summary>The names of the files a rank writes into a checkpoint.</summary>
public static class CheckpointFiles
{
    /// <summary>The model's state dict (parameters and buffers), safetensors: <c>model.safetensors</c>, or <c>model.rank-00003.safetensors</c> when sharded.</summary>
    public static string Model(int rank, CheckpointSharding sharding) => Name("model", rank, sharding);

    /// <summary>The optimizer's state, safetensors (see <see cref="Checkpointer"/>): <c>optimizer.safetensors</c>, or per rank when sharded.</summary>
    public static string Optimizer(int rank, CheckpointSharding sharding) => Name("optimizer", rank, sharding);

    private static string Name(string what, int rank, CheckpointSharding sharding) =>
        sharding == CheckpointSharding.Sharded ? $"{what}.rank-{rank.ToString("D5", CultureInfo.InvariantCulture)}.safetensors" : $"{what}.safetensors";
}
