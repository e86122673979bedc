using System.Security.Cryptography;

namespace DistTrain.Checkpointing;

/// <summary>A committed checkpoint that verified: its manifest parsed and every file it lists matched.</summary>
/// <param name="Name">The directory name (<c>step-000000100</c>).</param>
/// <param name="Path">The directory's full path.</param>
/// <param name="Manifest">Its manifest.</param>
public sealed record VerifiedCheckpoint(string Name, string Path, CheckpointManifest Manifest)
{
    /// <summary>The step the checkpoint is at.</summary>
    public long Step => Manifest.Step;

    /// <summary>The full path of one of its files.</summary>
    /// <exception cref="ArgumentException">The manifest lists no file of that name.</exception>
    public string FilePath(string name) =>
        Manifest.Files.Any(f => f.Name == name)
            ? System.IO.Path.Combine(Path, name)
            : throw new ArgumentException(
                $"Checkpoint {Name} has no file '{name}'; it has {string.Join(", ", Manifest.Files.Select(f => $"'{f.Name}'"))}.", nameof(name));
}

/// <summary>Checks a checkpoint directory against its manifest: every file present, of the recorded size and SHA-256.</summary>
public static class CheckpointVerifier
{
    /// <summary>Verifies the checkpoint directory <paramref name="directory"/>; reads every file once.</summary>
    /// <exception cref="CheckpointCorruptException">Something does not match; the message is one line naming the file and why.</exception>
    /// <exception cref="CheckpointFormatException">The manifest is of a format version this library does not read.</exception>
    public static VerifiedCheckpoint Verify(string directory)
    {
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(directory));
        var manifestPath = Path.Combine(directory, CheckpointLayout.ManifestFileName);
        byte[] json;
        try
        {
            json = File.ReadAllBytes(manifestPath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw Corrupt(name, CheckpointLayout.ManifestFileName, "is missing");
        }

        var manifest = ManifestJson.Parse(json, name);
        if (CheckpointLayout.TryParseStep(name, out var step) && step != manifest.Step)
            throw Corrupt(name, CheckpointLayout.ManifestFileName, $"says step {manifest.Step}, but the directory is named for step {step}");
        foreach (var file in manifest.Files)
            VerifyFile(name, directory, file);
        return new VerifiedCheckpoint(name, Path.GetFullPath(directory), manifest);
    }

    /// <summary>Checks one file against its manifest entry (size first, then SHA-256).</summary>
    internal static void VerifyFile(string checkpoint, string directory, CheckpointFile expected)
    {
        var path = Path.Combine(directory, expected.Name);
        var info = new FileInfo(path);
        if (!info.Exists)
            throw Corrupt(checkpoint, expected.Name, "is listed in the manifest but missing");
        if (info.Length != expected.Size)
            throw Corrupt(checkpoint, expected.Name,
                $"is {info.Length} bytes but the manifest says {expected.Size} ({(info.Length < expected.Size ? "truncated" : "overwritten")})");
        string actual;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20))
            actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        if (!string.Equals(actual, expected.Sha256, StringComparison.OrdinalIgnoreCase))
            throw Corrupt(checkpoint, expected.Name,
                $"has SHA-256 {actual[..12]}… but the manifest says {expected.Sha256[..12]}… (its content changed: corrupted)");
    }

    private static CheckpointCorruptException Corrupt(string checkpoint, string file, string why) =>
        new($"Checkpoint {checkpoint}: {file} {why}.", checkpoint, file);
}
