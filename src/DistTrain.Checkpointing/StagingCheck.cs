namespace DistTrain.Checkpointing;

/// <summary>
/// What a commit checks in a staging directory before it writes the manifest: every reported file is
/// there with the reported size (and, when asked, SHA-256) and is flushed to the disk; temporary files
/// of writers that failed are removed; nothing unreported is left in it.
/// </summary>
internal static class StagingCheck
{
    /// <exception cref="CheckpointWriteException">The staging directory or a file is missing, a file differs from its report, or an unreported file is present.</exception>
    /// <exception cref="IOException">A file cannot be read or flushed.</exception>
    public static void Prepare(StagedCheckpoint staged, IReadOnlyList<CheckpointFile> files, bool verifyHashes)
    {
        if (!Directory.Exists(staged.Path))
            throw Fail(staged, staged.Path, "its staging directory is missing (another process removed it, or it was never begun)");
        var listed = files.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in new DirectoryInfo(staged.Path).EnumerateFileSystemInfos())
        {
            if (CheckpointLayout.IsLeftover(entry.Name))
                Durable.TryDeleteFile(entry.FullName);
            else if (entry.Name != CheckpointLayout.ManifestFileName && !listed.Contains(entry.Name))
                throw Fail(staged, entry.FullName, $"the staging directory holds '{entry.Name}', which no writer reported; report it or remove it");
        }

        foreach (var file in files)
        {
            CheckpointLayout.ValidateFileName(file.Name);
            var path = Path.Combine(staged.Path, file.Name);
            try
            {
                if (verifyHashes)
                    CheckpointVerifier.VerifyFile(staged.FinalName, staged.Path, file);
                else if (!File.Exists(path) || new FileInfo(path).Length != file.Size)
                    throw Fail(staged, path, $"{file.Name} is missing or not of the reported {file.Size} bytes");
            }
            catch (CheckpointCorruptException e)
            {
                throw Fail(staged, path, e.Message);
            }

            Durable.SyncFile(path);
        }
    }

    private static CheckpointWriteException Fail(StagedCheckpoint staged, string path, string why) =>
        new($"Checkpoint {staged.FinalName} cannot be committed: {why}. The checkpoint was discarded; the last committed checkpoint is unchanged.", path);
}
