using DistTrain.Checkpointing.Tests.Support;

namespace DistTrain.Checkpointing.Tests;

/// <summary>
/// A full disk and an unwritable directory, for real: a 1 MiB tmpfs (root only) fills up, and a
/// directory without write permission (or, for root, who ignores permissions, a read-only tmpfs)
/// refuses the staging directory. Each fails that checkpoint with a clear error; the previous one still loads.
/// </summary>
public sealed class WriteFailureTests
{
    [Fact]
    public void A_full_disk_fails_that_checkpoint_with_a_clear_error_and_the_previous_one_still_loads()
    {
        using var disk = Tmpfs.TryMount("1m");
        if (disk is null)
            return; // not root (or no tmpfs): a filesystem small enough to fill cannot be made here
        var store = Checkpoints.Store(disk.Path);
        Checkpoints.Commit(store, 10);

        var staged = store.Begin(20);
        var error = Assert.Throws<CheckpointWriteException>(() =>
            staged.WriteFile("model.safetensors", s => s.Write(new byte[2 << 20])));

        Assert.True(error.DiskFull);
        Assert.Contains("Checkpoint failed while writing model.safetensors of step-000000020", error.Message);
        Assert.Contains("the disk is full (no space left on device). Free space on that filesystem", error.Message);
        Assert.Contains("the last committed checkpoint is unchanged", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(staged.Path)); // the partial file is gone, the space is free again
        staged.Abandon();
        var recovery = store.Recover();
        Assert.Equal(10, recovery.Checkpoint!.Step);
        Assert.Empty(recovery.Rejected);
        Assert.Equal("step-000000010", store.ReadLatest());
    }

    [Fact]
    public void A_full_disk_while_committing_the_manifest_keeps_the_previous_checkpoint()
    {
        using var disk = Tmpfs.TryMount("1m");
        if (disk is null)
            return; // not root (or no tmpfs)
        var store = Checkpoints.Store(disk.Path);
        Checkpoints.Commit(store, 10);
        var staged = store.Begin(20);
        var model = staged.WriteFile("model.safetensors", s => s.Write(new byte[800 << 10]));
        using (var filler = new FileStream(Path.Combine(disk.Path, "filler"), FileMode.Create))
        {
            try
            {
                while (true)
                    filler.Write(new byte[4096]);
            }
            catch (IOException)
            {
            }
        }

        var error = Assert.Throws<CheckpointWriteException>(() =>
            store.Commit(staged, new CheckpointManifest { Step = 20, Files = [model] }));

        Assert.True(error.DiskFull);
        Assert.False(Directory.Exists(staged.Path));
        File.Delete(Path.Combine(disk.Path, "filler"));
        Assert.Equal(10, store.Recover().Checkpoint!.Step);
        Assert.Equal("step-000000010", store.ReadLatest());
    }

    [Fact]
    public void An_unwritable_directory_fails_that_checkpoint_with_a_clear_error_and_the_previous_one_still_loads()
    {
        using var disk = Tmpfs.TryMount("4m");
        using var temp = new TempRoot();
        var root = disk?.Path ?? temp.Path;
        var store = Checkpoints.Store(root);
        Checkpoints.Commit(store, 10);
        MakeUnwritable(root, disk);
        try
        {
            var error = Assert.Throws<CheckpointWriteException>(() => Checkpoints.Commit(store, 20));

            Assert.StartsWith("Checkpoint failed while creating the staging directory of step-000000020", error.Message);
            Assert.Contains(disk is null ? "permission denied. Make the checkpoint directory writable" : "the filesystem is read-only", error.Message);
            Assert.Contains("the last committed checkpoint is unchanged", error.Message);
            Assert.False(error.DiskFull);
            Assert.Equal(10, store.Recover(removeLeftovers: false).Checkpoint!.Step);
            Assert.Equal("step-000000010", store.ReadLatest());
        }
        finally
        {
            MakeWritable(root, disk);
        }
    }

    private static void MakeUnwritable(string root, Tmpfs? disk)
    {
        if (disk is not null)
            disk.Remount(readOnly: true);
        else
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserExecute);
    }

    private static void MakeWritable(string root, Tmpfs? disk)
    {
        if (disk is not null)
            disk.Remount(readOnly: false);
        else
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
