using System.Text.Json.Nodes;
using DistTrain.Checkpointing;

namespace DistTrain.Coordinator.Checkpoints;

/// <summary>
/// The job's checkpoint registry: the coordinator is the one party that commits to the checkpoint root.
/// Ranks <see cref="Begin"/> an attempt, write their files into its staging directory and
/// <see cref="Report"/> them; the report that completes the attempt commits it (<see cref="CheckpointStore.Commit"/>)
/// and moves the data plan's committed position to the checkpoint's. Every member is thread-safe; a
/// completing report blocks for the commit's fsyncs and renames, the others return at once.
/// </summary>
public interface ICheckpointRegistry
{
    /// <summary>Whether the coordinator has a checkpoint directory (<see cref="CheckpointRegistryOptions.Directory"/>).</summary>
    bool Enabled { get; }

    /// <summary>
    /// Finds the newest committed checkpoint that verifies (skipping corrupted ones with one log line each),
    /// removes leftovers of interrupted writes, and sets the data plan's position from its manifest. Called
    /// once when the coordinator starts; does nothing without a checkpoint directory.
    /// </summary>
    /// <exception cref="CheckpointFormatException">The newest checkpoint is of a newer format.</exception>
    void Recover();

    /// <summary>
    /// Opens the attempt to checkpoint <paramref name="step"/> with <paramref name="worldSize"/> ranks, or joins
    /// the step's open one of the same world size and <paramref name="world"/>. The step's open attempt is
    /// discarded (its staging directory deleted) when the world or its size differs, or when
    /// <paramref name="rank"/> already began it (the rank was restarted, so its world is gone). Attempts of
    /// other steps stay open: saves run in the background, so ranks may be one checkpoint apart.
    /// </summary>
    /// <exception cref="CheckpointsDisabledException">The coordinator has no checkpoint directory.</exception>
    /// <exception cref="CheckpointCommitFailedException">The staging directory cannot be created.</exception>
    CheckpointAttempt Begin(long step, int worldSize, int rank, string world);

    /// <summary>Records <paramref name="report"/> for <paramref name="attempt"/>; the last rank's report commits the checkpoint.</summary>
    /// <exception cref="CheckpointsDisabledException">The coordinator has no checkpoint directory.</exception>
    /// <exception cref="UnknownAttemptException">No open attempt has that id.</exception>
    /// <exception cref="InvalidReportException">The rank is outside the attempt's world.</exception>
    /// <exception cref="DuplicateFileException">Another rank reported a file of the same name.</exception>
    /// <exception cref="CheckpointCommitFailedException">The commit failed; the attempt is discarded and the last good checkpoint stays.</exception>
    ReportOutcome Report(string attempt, RankReport report);

    /// <summary>The latest committed checkpoint (recovered at start, or committed since), or null when there is none.</summary>
    /// <exception cref="CheckpointsDisabledException">The coordinator has no checkpoint directory.</exception>
    VerifiedCheckpoint? Latest { get; }
}

/// <summary>Settings of the checkpoint registry.</summary>
public sealed class CheckpointRegistryOptions
{
    /// <summary>The checkpoint root (shared storage in a multi-node job); null or empty: checkpoints are off.</summary>
    public string? Directory { get; set; }

    /// <summary>How many committed checkpoints to keep; at least 1.</summary>
    public int KeepLast { get; set; } = 3;
}

/// <summary>An open checkpoint attempt, as a rank that began it sees it.</summary>
/// <param name="Id">The attempt id every report carries.</param>
/// <param name="Step">The step being checkpointed.</param>
/// <param name="WorldSize">The ranks that must report.</param>
/// <param name="StagingName">The staging directory's name under the root.</param>
/// <param name="StagingPath">The staging directory's full path as the coordinator sees it.</param>
/// <param name="Created">Whether this begin opened it.</param>
public sealed record CheckpointAttempt(string Id, long Step, int WorldSize, string StagingName, string StagingPath, bool Created);

/// <summary>What one rank wrote and holds at a checkpoint.</summary>
/// <param name="Rank">The rank.</param>
/// <param name="Files">The files it wrote into the staging directory.</param>
/// <param name="RngStates">Its random generator states: name → state, base64.</param>
/// <param name="Progress">Where training stands (read from rank 0's report), or null.</param>
public sealed record RankReport(int Rank, IReadOnlyList<CheckpointFile> Files, IReadOnlyDictionary<string, string> RngStates, TrainingProgress? Progress);

/// <summary>Where training stands at a checkpoint, as the manifest keeps it.</summary>
/// <param name="Epoch">The epoch in progress.</param>
/// <param name="DataPlan">The data plan's position (with its dataset's name), or null.</param>
/// <param name="ConfigHash">The configuration hash, or null.</param>
/// <param name="Scheduler">The scheduler's state, or null.</param>
/// <param name="Extra">Anything else, or null.</param>
public sealed record TrainingProgress(long Epoch, DataPlanPosition? DataPlan, string? ConfigHash, JsonObject? Scheduler, JsonObject? Extra);

/// <summary>The outcome of a report.</summary>
/// <param name="Committed">The checkpoint this report committed, or null when ranks are still to report.</param>
/// <param name="WaitingFor">The ranks that have not reported yet.</param>
public sealed record ReportOutcome(VerifiedCheckpoint? Committed, IReadOnlyList<int> WaitingFor);

/// <summary>The base of every checkpoint registry failure.</summary>
public abstract class CheckpointRegistryException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The coordinator runs without a checkpoint directory.</summary>
public sealed class CheckpointsDisabledException()
    : CheckpointRegistryException("The coordinator has no checkpoint directory, so it cannot begin, commit or find checkpoints; start it with --checkpoint-dir DIR (disttrain run --checkpoint-dir DIR).");

/// <summary>A report for an attempt that is not open (committed, discarded, or replaced by a newer begin).</summary>
public sealed class UnknownAttemptException(string message) : CheckpointRegistryException(message);

/// <summary>A report that does not fit its attempt (a rank outside its world).</summary>
public sealed class InvalidReportException(string message) : CheckpointRegistryException(message);

/// <summary>Two ranks reported a file of the same name.</summary>
public sealed class DuplicateFileException(string message) : CheckpointRegistryException(message);

/// <summary>Creating the staging directory or committing failed (full disk, permissions); the last good checkpoint stays.</summary>
public sealed class CheckpointCommitFailedException(string message, Exception inner) : CheckpointRegistryException(message, inner);
