using Microsoft.Extensions.Logging;

namespace DistTrain.Checkpointing;

/// <summary>
/// The outcome of <see cref="CheckpointStore.Recover"/>: the newest committed checkpoint that verifies
/// (manifest present and parseable, every file present with the recorded size and SHA-256), and the newer
/// ones that did not, each with the one-line reason that was logged.
/// </summary>
/// <param name="Checkpoint">The checkpoint to resume from, or null when there is none (start from scratch).</param>
/// <param name="Rejected">The newer checkpoints skipped, newest first, with why.</param>
public sealed record CheckpointRecovery(VerifiedCheckpoint? Checkpoint, IReadOnlyList<CheckpointCorruptException> Rejected)
{
    /// <summary>One line per rejected checkpoint, as logged (empty when none was rejected).</summary>
    public IReadOnlyList<string> Messages => [.. Rejected.Select(r => Describe(r, Checkpoint))];

    internal static CheckpointRecovery Find(CheckpointStore store, ILogger logger)
    {
        var rejected = new List<CheckpointCorruptException>();
        VerifiedCheckpoint? found = null;
        foreach (var (_, path) in store.Committed())
        {
            try
            {
                found = CheckpointVerifier.Verify(path);
                break;
            }
            catch (CheckpointCorruptException e)
            {
                rejected.Add(e);
            }
        }

        var recovery = new CheckpointRecovery(found, rejected);
        foreach (var message in recovery.Messages)
            logger.LogWarning("{Message}", message);
        return recovery;
    }

    private static string Describe(CheckpointCorruptException rejected, VerifiedCheckpoint? used) =>
        $"{rejected.Message} Skipping {rejected.Checkpoint}; "
        + (used is null ? "no older checkpoint verifies, so training starts from scratch." : $"resuming from {used.Name} instead.");
}
