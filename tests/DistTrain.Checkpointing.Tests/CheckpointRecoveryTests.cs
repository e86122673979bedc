using System.Text;
using DistTrain.Checkpointing.Tests.Support;

namespace DistTrain.Checkpointing.Tests;

public sealed class CheckpointRecoveryTests : IDisposable
{
    private readonly TempRoot _root = new();
    private readonly CheckpointStore _store;

    public CheckpointRecoveryTests()
    {
        _store = Checkpoints.Store(_root.Path);
        Checkpoints.Commit(_store, 100);
        Checkpoints.Commit(_store, 200);
    }

    public void Dispose() => _root.Dispose();

    private string FileOf(long step, string name) => Path.Combine(_root.Path, CheckpointLayout.DirectoryName(step), name);

    [Fact]
    public void The_newest_checkpoint_that_verifies_is_found()
    {
        var recovery = _store.Recover();

        Assert.Equal(200, recovery.Checkpoint!.Step);
        Assert.Empty(recovery.Rejected);
        Assert.Empty(recovery.Messages);
    }

    [Fact]
    public void A_flipped_bit_is_detected_by_checksum_and_the_previous_checkpoint_is_used_with_one_line_naming_the_file()
    {
        var path = FileOf(200, "optimizer.safetensors");
        var bytes = File.ReadAllBytes(path);
        bytes[1234] ^= 0x08;
        File.WriteAllBytes(path, bytes);

        var recovery = _store.Recover();

        Assert.Equal(100, recovery.Checkpoint!.Step);
        var message = Assert.Single(recovery.Messages);
        Assert.DoesNotContain('\n', message);
        Assert.StartsWith("Checkpoint step-000000200: optimizer.safetensors has SHA-256 ", message);
        Assert.Contains("corrupted", message);
        Assert.EndsWith("resuming from step-000000100 instead.", message);
        Assert.Equal("optimizer.safetensors", recovery.Rejected[0].File);
    }

    [Fact]
    public void A_truncated_file_is_detected_and_the_previous_checkpoint_is_used()
    {
        using (var file = new FileStream(FileOf(200, "model.safetensors"), FileMode.Open))
            file.SetLength(1000);

        var recovery = _store.Recover();

        Assert.Equal(100, recovery.Checkpoint!.Step);
        Assert.Equal(
            "Checkpoint step-000000200: model.safetensors is 1000 bytes but the manifest says 4096 (truncated). Skipping step-000000200; resuming from step-000000100 instead.",
            Assert.Single(recovery.Messages));
    }

    [Fact]
    public void A_missing_manifest_is_detected_and_the_previous_checkpoint_is_used()
    {
        File.Delete(FileOf(200, "manifest.json"));

        var recovery = _store.Recover();

        Assert.Equal(100, recovery.Checkpoint!.Step);
        Assert.StartsWith("Checkpoint step-000000200: manifest.json is missing.", Assert.Single(recovery.Messages));
    }

    [Fact]
    public void A_missing_file_and_an_unparseable_manifest_are_each_named()
    {
        File.Delete(FileOf(200, "model.safetensors"));
        File.WriteAllText(FileOf(100, "manifest.json"), "{\"format_version\": 1, \"step\": ");

        var recovery = _store.Recover();

        Assert.Null(recovery.Checkpoint);
        Assert.Equal(2, recovery.Messages.Count);
        Assert.StartsWith("Checkpoint step-000000200: model.safetensors is listed in the manifest but missing.", recovery.Messages[0]);
        Assert.StartsWith("Checkpoint step-000000100: manifest.json is not a valid manifest", recovery.Messages[1]);
        Assert.EndsWith("no older checkpoint verifies, so training starts from scratch.", recovery.Messages[1]);
    }

    [Fact]
    public void A_manifest_of_an_unknown_format_version_stops_recovery_with_what_to_do()
    {
        var path = FileOf(200, "manifest.json");
        File.WriteAllText(path, Checkpoints.Text(path).Replace("\"format_version\": 1", "\"format_version\": 9"));

        var error = Assert.Throws<CheckpointFormatException>(() => _store.Recover());

        Assert.Equal(9, error.FormatVersion);
        Assert.Contains("has format_version 9, but this DistTrain reads format version 1 only", error.Message);
        Assert.Contains("Resume with the DistTrain version that wrote it, or move step-000000200 out of the checkpoint directory", error.Message);
    }

    [Fact]
    public void Leftovers_of_a_crash_are_ignored_and_cleaned()
    {
        // A crash after the files and even the manifest were staged, before the rename; one mid-prune; one mid-write of latest.
        var staged = _store.Begin(300);
        staged.WriteFile("model.safetensors", s => s.Write(Checkpoints.Content(300, "model.safetensors")));
        File.WriteAllBytes(Path.Combine(staged.Path, "manifest.json"),
            ManifestJson.Serialize(new CheckpointManifest { Step = 300, Files = staged.Files }));
        Directory.CreateDirectory(Path.Combine(_root.Path, ".deleting-step-000000050-0123"));
        File.WriteAllText(Path.Combine(_root.Path, ".latest.tmp-abc"), "step-000000300\n");

        var recovery = _store.Recover();

        Assert.Equal(200, recovery.Checkpoint!.Step);
        Assert.Empty(recovery.Rejected);
        Assert.Equal(["latest", "step-000000100", "step-000000200"], Directory.EnumerateFileSystemEntries(_root.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Recovery_without_cleaning_leaves_a_staging_directory_that_may_still_be_written()
    {
        var staged = _store.Begin(300);

        Assert.Equal(200, _store.Recover(removeLeftovers: false).Checkpoint!.Step);
        Assert.True(Directory.Exists(staged.Path));
    }

    [Fact]
    public void An_empty_or_missing_root_has_no_checkpoint()
    {
        var recovery = Checkpoints.Store(Path.Combine(_root.Path, "nothing-here")).Recover();

        Assert.Null(recovery.Checkpoint);
        Assert.Empty(recovery.Messages);
    }

    [Fact]
    public void Latest_always_names_a_checkpoint_that_verifies_after_every_commit()
    {
        var store = Checkpoints.Store(_root.Path, keepLast: 2);
        for (var step = 300; step <= 800; step += 100)
        {
            Checkpoints.Commit(store, step);
            var latest = store.ReadLatest()!;
            Assert.Equal(step, CheckpointVerifier.Verify(Path.Combine(_root.Path, latest)).Step);
        }

        Assert.Equal(Encoding.UTF8.GetBytes("step-000000800\n"), File.ReadAllBytes(Path.Combine(_root.Path, "latest")));
    }
}
