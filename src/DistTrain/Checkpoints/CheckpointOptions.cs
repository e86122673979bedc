using System.Text.Json.Nodes;
using DistTrain.Checkpointing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DistTrain.Checkpoints;

/// <summary>Settings of a <see cref="Checkpointer"/>.</summary>
public sealed class CheckpointOptions
{
    /// <summary>The checkpoint root (shared storage in a multi-node job): <c>step-*</c> directories and <c>latest</c> go here.</summary>
    public required string Directory { get; init; }

    /// <summary>How many committed checkpoints to keep; older ones are deleted after each commit.</summary>
    public int KeepLast { get; init; } = 3;

    /// <summary>
    /// Whose model and optimizer state is written. Under DDP every rank holds the same replica, so by
    /// default one rank (<see cref="WriterRank"/>) writes it and commits; the others write nothing.
    /// </summary>
    public CheckpointSharding Sharding { get; init; } = CheckpointSharding.Replicated;

    /// <summary>The rank that writes a replicated checkpoint (0 by default).</summary>
    public int WriterRank { get; init; }

    /// <summary>A hash of the training configuration (<see cref="ConfigHash.Of"/>); resuming from a checkpoint with another one fails. Null: not checked.</summary>
    public string? ConfigHash { get; init; }

    /// <summary>
    /// Keep the host copies of the last save for the next one (true by default): a save then copies into memory that is
    /// already mapped instead of faulting in and zeroing fresh pages, at the price of holding as much host memory as the
    /// written state between saves. False: free them after every write.
    /// </summary>
    public bool ReuseHostCopies { get; init; } = true;

    /// <summary>Where a failed background save and a skipped corrupted checkpoint are logged.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;
}

/// <summary>Who writes model and optimizer state.</summary>
public enum CheckpointSharding
{
    /// <summary>Every rank holds the same state (DDP): only <see cref="CheckpointOptions.WriterRank"/> writes it.</summary>
    Replicated,

    /// <summary>
    /// Each rank holds its own part: every rank writes <c>model.rank-NNNNN.safetensors</c> and
    /// <c>optimizer.rank-NNNNN.safetensors</c>. With more than one rank the files of all ranks must be
    /// committed together, which the coordinator's two-phase commit does; until then only one rank is supported.
    /// </summary>
    Sharded,
}

/// <summary>Where training stands, saved with the state and handed back on resume.</summary>
public sealed class CheckpointProgress
{
    /// <summary>The epoch in progress.</summary>
    public long Epoch { get; init; }

    /// <summary>The data plan's position (epoch, samples consumed over all ranks, seed).</summary>
    public DataPlanPosition? DataPlan { get; init; }

    /// <summary>The learning-rate scheduler's state, as the trainer encodes it.</summary>
    public JsonObject? Scheduler { get; init; }

    /// <summary>Anything else to keep (a JSON object).</summary>
    public JsonObject? Extra { get; init; }
}

/// <summary>Hashes a training configuration for <see cref="CheckpointOptions.ConfigHash"/>.</summary>
public static class ConfigHash
{
    /// <summary>The SHA-256 (hex) of <paramref name="configuration"/>'s UTF-8 text; pass a canonical form (sorted keys, no timestamps).</summary>
    public static string Of(string configuration) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(configuration)));
}
