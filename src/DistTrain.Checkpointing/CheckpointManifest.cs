using System.Text.Json.Nodes;

namespace DistTrain.Checkpointing;

/// <summary>
/// What <c>manifest.json</c> holds: where training stands at this checkpoint and every file of it with
/// its size and SHA-256. Written last, into the staging directory, just before the directory is renamed
/// to its final name. JSON, snake_case (<see cref="ManifestJson"/>).
/// </summary>
public sealed record CheckpointManifest
{
    /// <summary>The version of this format that <see cref="ManifestJson"/> writes and reads.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>The format version (<see cref="CurrentFormatVersion"/> when written by this library).</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>The global optimizer step the state is at (steps completed).</summary>
    public required long Step { get; init; }

    /// <summary>The epoch in progress (0-based).</summary>
    public long Epoch { get; init; }

    /// <summary>Where the data plan stands, so that resuming reads each remaining sample exactly once.</summary>
    public DataPlanPosition? DataPlan { get; init; }

    /// <summary>The number of ranks that trained up to this checkpoint.</summary>
    public int WorldSize { get; init; } = 1;

    /// <summary>Random generator states per rank: rank → (generator name → its state, base64).</summary>
    public IReadOnlyList<RankRngState> RngStates { get; init; } = [];

    /// <summary>The learning-rate scheduler's state (any JSON object the trainer chooses), or null.</summary>
    public JsonObject? Scheduler { get; init; }

    /// <summary>A hash of the training configuration, to refuse resuming with another one; null when not given.</summary>
    public string? ConfigHash { get; init; }

    /// <summary>When the checkpoint was committed (UTC).</summary>
    public DateTimeOffset CreatedUtc { get; init; }

    /// <summary>Every file of the checkpoint except the manifest, with its size and SHA-256.</summary>
    public required IReadOnlyList<CheckpointFile> Files { get; init; }

    /// <summary>Anything else the trainer wants to keep beside the state (a JSON object), or null.</summary>
    public JsonObject? Extra { get; init; }
}

/// <summary>One file of a checkpoint as the manifest records it.</summary>
/// <param name="Name">The file name inside the checkpoint directory.</param>
/// <param name="Size">Its length in bytes.</param>
/// <param name="Sha256">Its SHA-256, 64 lower-case hex digits.</param>
public sealed record CheckpointFile(string Name, long Size, string Sha256);

/// <summary>
/// The data plan's position at a checkpoint, in the O(1) form a seeded per-epoch permutation needs:
/// the rest of the epoch is re-split over whatever world resumes.
/// </summary>
/// <param name="Epoch">The epoch whose permutation is being consumed.</param>
/// <param name="SamplesConsumed">Samples of that epoch trained on, summed over all ranks.</param>
/// <param name="Seed">The permutation's seed.</param>
public sealed record DataPlanPosition(long Epoch, long SamplesConsumed, long Seed)
{
    /// <summary>The data plan's dataset name (<c>train</c>), so that a coordinator recovering from disk restores that dataset's position; null when not given.</summary>
    public string? Dataset { get; init; }
}

/// <summary>The random generator states of one rank.</summary>
/// <param name="Rank">The rank.</param>
/// <param name="States">Generator name (<c>torch</c>, or a name the trainer registered) → its state, base64.</param>
public sealed record RankRngState(int Rank, IReadOnlyDictionary<string, string> States);
