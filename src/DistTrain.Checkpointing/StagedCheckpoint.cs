namespace DistTrain.Checkpointing;

/// <summary>
/// A checkpoint being written: a staging directory (<c>.staging-step-000000100-&lt;attempt&gt;</c>) under the
/// root, invisible to recovery until <see cref="CheckpointStore.Commit"/> renames it. Every rank that writes
/// part of the same checkpoint opens the same staging directory (same step, same attempt) and writes its
/// own files; each file is written atomically and its size and SHA-256 come back to report. Thread-safe.
/// </summary>
public sealed class StagedCheckpoint
{
    private readonly Lock _lock = new();
    private readonly List<CheckpointFile> _files = [];

    internal StagedCheckpoint(string root, long step, string attempt)
    {
        Step = step;
        Attempt = attempt;
        Root = root;
        Path = System.IO.Path.Combine(root, CheckpointLayout.StagingName(step, attempt));
    }

    /// <summary>The step being checkpointed.</summary>
    public long Step { get; }

    /// <summary>The attempt id shared by every rank writing this checkpoint.</summary>
    public string Attempt { get; }

    /// <summary>The checkpoint root.</summary>
    public string Root { get; }

    /// <summary>The staging directory's full path.</summary>
    public string Path { get; }

    /// <summary>The name the directory will have once committed (<c>step-000000100</c>).</summary>
    public string FinalName => CheckpointLayout.DirectoryName(Step);

    /// <summary>The files written through this object so far (by this process), in the order written.</summary>
    public IReadOnlyList<CheckpointFile> Files
    {
        get { lock (_lock) { return [.. _files]; } }
    }

    /// <summary>
    /// Writes the file <paramref name="name"/>: <paramref name="write"/> fills a temporary file, which is
    /// flushed to the disk (fsync) and renamed to <paramref name="name"/>. Blocks for the whole write.
    /// </summary>
    /// <returns>The file's name, size and SHA-256, as the manifest must list it.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a plain file name (see <see cref="CheckpointLayout.ValidateFileName"/>).</exception>
    /// <exception cref="CheckpointWriteException">The write failed (full disk, permissions…); nothing of the file is left.</exception>
    public CheckpointFile WriteFile(string name, Action<Stream> write)
    {
        CheckpointLayout.ValidateFileName(name);
        CheckpointFile written;
        try
        {
            written = Durable.WriteAtomically(System.IO.Path.Combine(Path, name), write);
        }
        catch (Exception e) when (IoErrors.IsIo(e))
        {
            throw IoErrors.Wrap(e, $"writing {name} of {FinalName}", System.IO.Path.Combine(Path, name));
        }

        lock (_lock)
        {
            _files.RemoveAll(f => f.Name == name);
            _files.Add(written);
        }

        return written;
    }

    /// <summary>Writes <c>manifest.json</c> last, atomically (the staging directory is fsynced after its rename).</summary>
    internal void WriteManifest(CheckpointManifest manifest) =>
        Durable.WriteAtomically(System.IO.Path.Combine(Path, CheckpointLayout.ManifestFileName), s => s.Write(ManifestJson.Serialize(manifest)));

    /// <summary>Deletes the staging directory and everything in it (a failed or cancelled checkpoint); never throws.</summary>
    public void Abandon() => CheckpointStore.TryDeleteDirectory(Path);
}
