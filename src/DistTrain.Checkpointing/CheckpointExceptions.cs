namespace DistTrain.Checkpointing;

/// <summary>The base of every checkpoint failure.</summary>
public abstract class CheckpointException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// A checkpoint could not be written or committed: the directory is not writable, the disk is full,
/// or another I/O error. The checkpoint being written is discarded; every checkpoint committed before
/// it is untouched and still loads. The message says what failed, where, and what to do.
/// </summary>
public sealed class CheckpointWriteException(string message, string path, Exception? inner = null)
    : CheckpointException(message, inner)
{
    /// <summary>The file or directory the failing operation was on.</summary>
    public string Path { get; } = path;

    /// <summary>Whether the cause is a full disk or an exhausted quota (ENOSPC, EDQUOT).</summary>
    public bool DiskFull => InnerException is not null && IoErrors.IsDiskFull(InnerException);
}

/// <summary>
/// A checkpoint directory does not verify: its manifest is missing or unreadable, or a file it lists is
/// missing, has another size or another SHA-256. <see cref="Exception.Message"/> is one line naming the
/// checkpoint, the file and why.
/// </summary>
public sealed class CheckpointCorruptException(string message, string checkpoint, string? file)
    : CheckpointException(message)
{
    /// <summary>The checkpoint directory's name (<c>step-000000100</c>).</summary>
    public string Checkpoint { get; } = checkpoint;

    /// <summary>The file that is wrong (<c>manifest.json</c> included), or null when the directory itself is.</summary>
    public string? File { get; } = file;
}

/// <summary>
/// A manifest was written by a format this library does not read (a newer DistTrain). Recovery stops
/// here instead of silently falling back to an older checkpoint and losing the steps in between.
/// </summary>
public sealed class CheckpointFormatException(string message, string checkpoint, int formatVersion)
    : CheckpointException(message)
{
    /// <summary>The checkpoint directory's name.</summary>
    public string Checkpoint { get; } = checkpoint;

    /// <summary>The format version the manifest carries.</summary>
    public int FormatVersion { get; } = formatVersion;
}
