using System.Text;

namespace DistTrain.Checkpointing;

/// <summary>
/// The checkpoints of one job under one root directory (see <see cref="CheckpointLayout"/>), committed so
/// that a checkpoint directory is complete or absent:
/// <list type="number">
/// <item><see cref="Begin"/> creates a staging directory; every writer fills it (<see cref="StagedCheckpoint.WriteFile"/>:
/// temporary file, fsync, rename) and reports the files it wrote.</item>
/// <item><see cref="Commit"/> checks the reported files, fsyncs them, writes <c>manifest.json</c> (temporary
/// file, fsync, rename), fsyncs the staging directory, renames it to <c>step-NNNNNNNNN</c>, fsyncs the root,
/// then points <c>latest</c> at it (temporary file, fsync, rename) and prunes to <see cref="CheckpointStoreOptions.KeepLast"/>.</item>
/// <item><see cref="Recover"/> finds the newest checkpoint that verifies, skipping corrupted ones with one
/// log line each, and removes what interrupted writes left behind.</item>
/// </list>
/// A failure anywhere before the rename discards the staging directory and leaves every committed
/// checkpoint as it was. In a multi-rank job one party commits (the coordinator, or rank 0) after every
/// writer reported; the writers only call <see cref="Begin"/> and <see cref="StagedCheckpoint.WriteFile"/>.
/// Commits of one store are serialised; do not commit to one root from two processes at once.
/// </summary>
public sealed class CheckpointStore
{
    private readonly CheckpointStoreOptions _options;
    private readonly Lock _commitLock = new();

    /// <summary>A store over <see cref="CheckpointStoreOptions.Root"/>; touches nothing on disk yet.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public CheckpointStore(CheckpointStoreOptions options)
    {
        options.Validate();
        _options = options;
        Root = Path.GetFullPath(options.Root);
    }

    /// <summary>The checkpoint root's full path.</summary>
    public string Root { get; }

    /// <summary>
    /// Creates (or, for another writer of the same checkpoint, opens) the staging directory of step
    /// <paramref name="step"/>, creating the root if needed.
    /// </summary>
    /// <param name="step">The step being checkpointed (0 or more).</param>
    /// <param name="attempt">Names this attempt; all writers of one checkpoint pass the same (the coordinator hands it out). Null: a new random id.</param>
    /// <exception cref="CheckpointWriteException">The root or the staging directory cannot be created (permissions, read-only or full filesystem).</exception>
    public StagedCheckpoint Begin(long step, string? attempt = null)
    {
        var staged = new StagedCheckpoint(Root, step, attempt ?? Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(staged.Path);
        }
        catch (Exception e) when (IoErrors.IsIo(e))
        {
            throw IoErrors.Wrap(e, $"creating the staging directory of {staged.FinalName}", staged.Path);
        }

        return staged;
    }

    /// <summary>
    /// Commits <paramref name="staged"/> with <paramref name="manifest"/>; see the class summary for the
    /// order of operations. Blocks for the fsyncs and renames (and, with
    /// <see cref="CheckpointStoreOptions.VerifyHashesOnCommit"/>, one read of every file).
    /// </summary>
    /// <param name="staged">The staging directory every writer has finished.</param>
    /// <param name="manifest">The manifest; its <see cref="CheckpointManifest.Files"/> are every writer's reported files
    /// (empty: the files written through <paramref name="staged"/> in this process). <see cref="CheckpointManifest.CreatedUtc"/> is stamped here.</param>
    /// <returns>The committed checkpoint.</returns>
    /// <exception cref="ArgumentException">The manifest's step is not the staged step, or it lists a file twice.</exception>
    /// <exception cref="CheckpointWriteException">A file is missing or of another size than reported, the staging directory holds a file
    /// no one reported, or an I/O operation failed (full disk, permissions). The staging directory is discarded; committed checkpoints are unchanged.</exception>
    public VerifiedCheckpoint Commit(StagedCheckpoint staged, CheckpointManifest manifest)
    {
        if (manifest.Step != staged.Step)
            throw new ArgumentException($"The manifest's step ({manifest.Step}) must be the staged checkpoint's step ({staged.Step}).", nameof(manifest));
        var files = manifest.Files.Count > 0 ? manifest.Files : staged.Files;
        var duplicate = files.GroupBy(f => f.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"The manifest lists the file '{duplicate.Key}' {duplicate.Count()} times; each file must be listed once.", nameof(manifest));
        var final = manifest with { Files = files, CreatedUtc = _options.Time.GetUtcNow(), FormatVersion = CheckpointManifest.CurrentFormatVersion };

        lock (_commitLock)
        {
            var finalPath = Path.Combine(Root, staged.FinalName);
            string? replaced = null;
            try
            {
                StagingCheck.Prepare(staged, files, _options.VerifyHashesOnCommit);
                staged.WriteManifest(final);
                replaced = MoveAside(finalPath);
                Directory.Move(staged.Path, finalPath);
                Durable.SyncDirectory(Root);
            }
            catch (Exception e) when (IoErrors.IsIo(e) || e is CheckpointWriteException)
            {
                staged.Abandon();
                PutBack(replaced, finalPath);
                throw e as CheckpointWriteException ?? IoErrors.Wrap(e, $"committing {staged.FinalName}", staged.Path);
            }

            try
            {
                WriteLatest(staged.FinalName);
                if (replaced is not null)
                    TryDeleteDirectory(replaced);
                Prune(staged.Step);
            }
            catch (Exception e) when (IoErrors.IsIo(e))
            {
                throw IoErrors.Wrap(e, $"pointing {CheckpointLayout.LatestFileName} at {staged.FinalName}", Root,
                    $"{staged.FinalName} is committed and complete (recovery finds it), but {CheckpointLayout.LatestFileName} may still name the one before.");
            }

            return new VerifiedCheckpoint(staged.FinalName, finalPath, final);
        }
    }

    /// <summary>Finds the newest checkpoint that verifies; see <see cref="CheckpointRecovery"/>.</summary>
    /// <param name="removeLeftovers">Also delete staging and half-pruned directories and temporary files of interrupted
    /// writes. Only the party that writes (the coordinator, or rank 0) should, and only while no checkpoint is being written.</param>
    /// <exception cref="CheckpointFormatException">The newest checkpoint is of a newer format; nothing older is used in its place.</exception>
    public CheckpointRecovery Recover(bool removeLeftovers = true)
    {
        if (removeLeftovers)
            RemoveLeftovers();
        return CheckpointRecovery.Find(this, _options.Logger);
    }

    /// <summary>The committed checkpoint directories (by name: complete by construction, not yet verified), newest first.</summary>
    public IReadOnlyList<(long Step, string Path)> Committed()
    {
        if (!Directory.Exists(Root))
            return [];
        return [.. Directory.EnumerateDirectories(Root)
            .Select(path => (ok: CheckpointLayout.TryParseStep(Path.GetFileName(path), out var step), step, path))
            .Where(c => c.ok)
            .OrderByDescending(c => c.step)
            .Select(c => (c.step, c.path))];
    }

    /// <summary>The directory name <c>latest</c> holds, or null when there is none.</summary>
    public string? ReadLatest()
    {
        var path = Path.Combine(Root, CheckpointLayout.LatestFileName);
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }

    /// <summary>Deletes what interrupted writes and prunes left under the root (staging and deleting directories, temporary files); returns how many.</summary>
    public int RemoveLeftovers()
    {
        if (!Directory.Exists(Root))
            return 0;
        var removed = 0;
        foreach (var entry in new DirectoryInfo(Root).EnumerateFileSystemInfos().Where(e => CheckpointLayout.IsLeftover(e.Name)))
        {
            if (entry is DirectoryInfo)
                TryDeleteDirectory(entry.FullName);
            else
                Durable.TryDeleteFile(entry.FullName);
            removed++;
        }

        return removed;
    }

    /// <summary>Deletes a directory tree, ignoring failures (cleanup on an error path, or a leftover).</summary>
    internal static void TryDeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (IoErrors.IsIo(e))
        {
        }
    }

    private void WriteLatest(string name) =>
        Durable.WriteAtomically(Path.Combine(Root, CheckpointLayout.LatestFileName), s => s.Write(Encoding.UTF8.GetBytes(name + "\n")));

    // A committed directory of the same step (a re-save after resuming from an older one) is renamed
    // away first, atomically, so that no half-deleted directory ever carries a checkpoint's name.
    private string? MoveAside(string finalPath)
    {
        if (!Directory.Exists(finalPath))
            return null;
        var aside = Path.Combine(Root, CheckpointLayout.DeletingName(Path.GetFileName(finalPath)));
        Directory.Move(finalPath, aside);
        return aside;
    }

    private static void PutBack(string? replaced, string finalPath)
    {
        if (replaced is null || Directory.Exists(finalPath))
            return;
        try
        {
            Directory.Move(replaced, finalPath);
        }
        catch (Exception e) when (IoErrors.IsIo(e))
        {
        }
    }

    // After committing step S: checkpoints newer than S belong to a run that was abandoned (training resumed
    // from an older one), so they go; of the rest the newest KeepLast stay. Never the one just committed.
    private void Prune(long committed)
    {
        var keep = 0;
        foreach (var (step, path) in Committed())
        {
            if (step <= committed && keep++ < _options.KeepLast)
                continue;
            var aside = Path.Combine(Root, CheckpointLayout.DeletingName(Path.GetFileName(path)));
            try
            {
                Directory.Move(path, aside);
            }
            catch (Exception e) when (IoErrors.IsIo(e))
            {
                continue; // an older checkpoint that cannot be pruned now is pruned after a later commit
            }

            TryDeleteDirectory(aside);
        }

        Durable.SyncDirectory(Root);
    }
}
