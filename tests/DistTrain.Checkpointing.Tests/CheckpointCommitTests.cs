using System.Security.Cryptography;
using DistTrain.Checkpointing.Tests.Support;

namespace DistTrain.Checkpointing.Tests;

public sealed class CheckpointCommitTests : IDisposable
{
    private readonly TempRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Commit_renames_staging_to_the_step_directory_with_a_manifest_of_sizes_and_sha256_and_points_latest_at_it()
    {
        var store = Checkpoints.Store(_root.Path);

        var committed = Checkpoints.Commit(store, 100);

        var dir = Path.Combine(_root.Path, "step-000000100");
        Assert.Equal(dir, committed.Path);
        Assert.Equal("step-000000100", store.ReadLatest());
        Assert.Equal("step-000000100\n", Checkpoints.Text(Path.Combine(_root.Path, "latest")));
        Assert.Equal(["latest", "step-000000100"], Directory.EnumerateFileSystemEntries(_root.Path).Select(Path.GetFileName).Order());
        Assert.Equal(["manifest.json", "model.safetensors", "optimizer.safetensors"], Directory.EnumerateFiles(dir).Select(Path.GetFileName).Order());
        var manifest = ManifestJson.Parse(File.ReadAllBytes(Path.Combine(dir, "manifest.json")), "step-000000100");
        Assert.Equal(100, manifest.Step);
        Assert.Equal(2, manifest.WorldSize);
        foreach (var file in manifest.Files)
        {
            var bytes = File.ReadAllBytes(Path.Combine(dir, file.Name));
            Assert.Equal(bytes.Length, file.Size);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), file.Sha256);
            Assert.Equal(Checkpoints.Content(100, file.Name), bytes);
        }
    }

    [Fact]
    public void Files_reported_by_several_writers_into_one_staging_directory_are_committed_together()
    {
        var coordinator = Checkpoints.Store(_root.Path);
        var rank0 = Checkpoints.Store(_root.Path).Begin(7, "attempt-1");
        var rank1 = Checkpoints.Store(_root.Path).Begin(7, "attempt-1");
        var reported = new[]
        {
            rank0.WriteFile("model.safetensors", s => s.Write(Checkpoints.Content(7, "model"))),
            rank1.WriteFile("optimizer.rank-00001.safetensors", s => s.Write(Checkpoints.Content(7, "opt1"))),
        };

        var committed = coordinator.Commit(coordinator.Begin(7, "attempt-1"), new CheckpointManifest { Step = 7, WorldSize = 2, Files = reported });

        Assert.Equal(reported, committed.Manifest.Files);
        Assert.Equal(7, CheckpointVerifier.Verify(committed.Path).Step);
    }

    [Fact]
    public void Only_the_newest_K_checkpoints_are_kept_and_pruning_happens_after_the_new_one_committed()
    {
        var store = Checkpoints.Store(_root.Path, keepLast: 2);

        foreach (var step in new long[] { 10, 20, 30, 40 })
            Checkpoints.Commit(store, step);

        Assert.Equal([40L, 30], store.Committed().Select(c => c.Step));
        Assert.Equal("step-000000040", store.ReadLatest());
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(_root.Path), p => Path.GetFileName(p).StartsWith('.'));
    }

    [Fact]
    public void A_failed_commit_prunes_nothing()
    {
        var store = Checkpoints.Store(_root.Path, keepLast: 1);
        Checkpoints.Commit(store, 10);
        var staged = store.Begin(20);

        Assert.Throws<CheckpointWriteException>(() =>
            store.Commit(staged, new CheckpointManifest { Step = 20, Files = [new CheckpointFile("model.safetensors", 5, new string('0', 64))] }));

        Assert.Equal([10L], store.Committed().Select(c => c.Step));
        Assert.Equal(10, store.Recover().Checkpoint!.Step);
    }

    [Fact]
    public void Committing_a_step_again_replaces_it_and_removes_newer_checkpoints_of_the_abandoned_run()
    {
        var store = Checkpoints.Store(_root.Path);
        Checkpoints.Commit(store, 50);
        Checkpoints.Commit(store, 100, ["old.bin"]);
        Checkpoints.Commit(store, 150);

        var again = Checkpoints.Commit(store, 100, ["new.bin"]);

        Assert.Equal([100L, 50], store.Committed().Select(c => c.Step));
        Assert.Equal(["new.bin"], again.Manifest.Files.Select(f => f.Name));
        Assert.Equal(["manifest.json", "new.bin"], Directory.EnumerateFiles(again.Path).Select(Path.GetFileName).Order());
        Assert.Equal("step-000000100", store.ReadLatest());
    }

    [Fact]
    public void A_file_in_staging_that_no_writer_reported_refuses_the_commit_naming_it()
    {
        var store = Checkpoints.Store(_root.Path);
        Checkpoints.Commit(store, 1);
        var staged = store.Begin(2);
        var model = staged.WriteFile("model.safetensors", s => s.Write(Checkpoints.Content(2, "m")));
        staged.WriteFile("stray.bin", s => s.WriteByte(1));

        var error = Assert.Throws<CheckpointWriteException>(() =>
            store.Commit(staged, new CheckpointManifest { Step = 2, Files = [model] }));

        Assert.Contains("'stray.bin', which no writer reported", error.Message);
        Assert.False(Directory.Exists(staged.Path));
        Assert.Equal("step-000000001", store.ReadLatest());
    }

    [Fact]
    public void A_reported_file_of_another_size_refuses_the_commit_and_keeps_the_last_checkpoint()
    {
        var store = Checkpoints.Store(_root.Path);
        Checkpoints.Commit(store, 1);
        var staged = store.Begin(2);
        var model = staged.WriteFile("model.safetensors", s => s.Write(Checkpoints.Content(2, "m")));

        var error = Assert.Throws<CheckpointWriteException>(() =>
            store.Commit(staged, new CheckpointManifest { Step = 2, Files = [model with { Size = model.Size + 1 }] }));

        Assert.Contains("model.safetensors is missing or not of the reported 4097 bytes", error.Message);
        Assert.Equal([1L], store.Committed().Select(c => c.Step));
        Assert.Equal("step-000000001", store.ReadLatest());
    }

    [Fact]
    public void A_writer_whose_write_throws_leaves_no_file_behind()
    {
        var staged = Checkpoints.Store(_root.Path).Begin(3);

        Assert.Throws<InvalidOperationException>(() => staged.WriteFile("model.safetensors", s =>
        {
            s.Write(new byte[100]);
            throw new InvalidOperationException("serializer failed");
        }));

        Assert.Empty(Directory.EnumerateFileSystemEntries(staged.Path));
    }

    [Fact]
    public void File_names_that_could_escape_or_hide_are_refused()
    {
        var staged = Checkpoints.Store(_root.Path).Begin(3);

        foreach (var name in new[] { "../x", "a/b", ".hidden", "manifest.json", "" })
            Assert.Throws<ArgumentException>(() => staged.WriteFile(name, _ => { }));
    }
}
