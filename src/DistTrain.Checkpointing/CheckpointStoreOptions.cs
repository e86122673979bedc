using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DistTrain.Checkpointing;

/// <summary>Settings of a <see cref="CheckpointStore"/>.</summary>
public sealed class CheckpointStoreOptions
{
    /// <summary>The checkpoint root: the directory holding <c>step-*</c> directories and <c>latest</c>. Created when missing.</summary>
    public string Root { get; set; } = "";

    /// <summary>How many committed checkpoints to keep (the newest); older ones are deleted after each commit. At least 1.</summary>
    public int KeepLast { get; set; } = 3;

    /// <summary>
    /// Whether a commit re-reads every file to check its SHA-256 against the reported one (costs one read
    /// of the checkpoint); sizes are always checked. Off by default: each file's hash is taken from the
    /// bytes as they were written and the file is fsynced before it is reported.
    /// </summary>
    public bool VerifyHashesOnCommit { get; set; }

    /// <summary>Where recovery writes its one line per unusable checkpoint.</summary>
    public ILogger Logger { get; set; } = NullLogger.Instance;

    /// <summary>The clock that stamps <see cref="CheckpointManifest.CreatedUtc"/>.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>Checks the settings, with a message giving the value and the rule.</summary>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Root))
            throw new ArgumentException("The checkpoint root must be set (a directory path).", nameof(Root));
        if (KeepLast < 1)
            throw new ArgumentException($"The number of checkpoints to keep ({KeepLast}) must be at least 1.", nameof(KeepLast));
    }
}
