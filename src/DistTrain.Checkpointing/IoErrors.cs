namespace DistTrain.Checkpointing;

/// <summary>Turns the I/O exceptions of a failed write into one <see cref="CheckpointWriteException"/> that says what to do.</summary>
internal static class IoErrors
{
    private const int Enospc = 28;
    private const int Edquot = 122;
    private const int Erofs = 30;

    /// <summary>Whether <paramref name="error"/> (or an inner one) is a full disk or quota.</summary>
    public static bool IsDiskFull(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is IOException io && (io.HResult is Enospc or Edquot || io.Message.Contains("No space left", StringComparison.Ordinal)
                                        || io.Message.Contains("quota exceeded", StringComparison.OrdinalIgnoreCase)))
                return true;
        }

        return false;
    }

    /// <summary>
    /// Wraps <paramref name="error"/>, raised while <paramref name="doing"/> (for example "writing
    /// model.safetensors of step-000000100") on <paramref name="path"/>.
    /// </summary>
    /// <param name="error">The I/O error.</param>
    /// <param name="doing">What was being done, for the message.</param>
    /// <param name="path">The file or directory it was done on.</param>
    /// <param name="outcome">What became of the checkpoint (default: discarded, the last committed one unchanged).</param>
    public static CheckpointWriteException Wrap(Exception error, string doing, string path, string? outcome = null)
    {
        var cause = error switch
        {
            _ when IsDiskFull(error) =>
                "the disk is full (no space left on device). Free space on that filesystem or point the checkpoint directory at a larger one",
            UnauthorizedAccessException =>
                "permission denied. Make the checkpoint directory writable by this user, or choose another one",
            IOException io when io.HResult == Erofs || io.Message.Contains("Read-only file system", StringComparison.Ordinal) =>
                "the filesystem is read-only. Remount it read-write or choose a checkpoint directory on a writable filesystem",
            DirectoryNotFoundException =>
                "a directory on the way is missing. Create the checkpoint directory or fix its path",
            _ => $"{error.GetType().Name}: {error.Message}. Check the filesystem and its free space",
        };
        return new CheckpointWriteException(
            $"Checkpoint failed while {doing} ('{path}'): {cause}. {outcome ?? "The checkpoint was discarded; the last committed checkpoint is unchanged."}",
            path, error);
    }

    /// <summary>Whether <paramref name="error"/> is one an I/O operation on a file or directory raises.</summary>
    public static bool IsIo(Exception error) => error is IOException or UnauthorizedAccessException;
}
