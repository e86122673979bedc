using DistTrain.Checkpointing.Tests.Support;
using DistTrain.Launcher.Tests.Support;
using static DistTrain.Launcher.Tests.Support.CheckpointTrainRuns;

namespace DistTrain.Launcher.Tests.Reliability;

/// <summary>A checkpoint directory that fills up mid-run, through `disttrain run` (a real 1 MiB tmpfs; needs root).</summary>
public sealed class DiskFullTests
{
    [Fact]
    public async Task A_checkpoint_dir_that_fills_up_fails_the_saves_with_a_clear_error_keeps_the_last_good_checkpoint_and_the_next_run_resumes_from_it()
    {
        using var disk = Tmpfs.TryMount("1m");
        if (disk is null)
            return; // not root (or no tmpfs): a filesystem small enough to fill cannot be made here
        using var output = new TempDirectory();
        using var resumed = new TempDirectory();
        var latest = Path.Combine(disk.Path, "latest");

        using var run = LauncherProcess.Start(Arguments(disk.Path, output.Path, nproc: 2, maxRestarts: 0, "60", "10", "--step-delay", "100"));
        await run.WaitForAsync(() => File.Exists(latest), Generous, "the first checkpoint");
        var filler = Path.Combine(disk.Path, "filler");
        File.WriteAllBytes(filler, new byte[new DriveInfo(disk.Path).AvailableFreeSpace - (40 << 10)]);
        var exitCode = await run.WaitAsync(Generous);

        Assert.True(exitCode == 1, run.Output);
        Assert.Contains("Checkpoint of step 60 failed and was discarded", run.Output);
        Assert.Contains("the disk is full (no space left on device). Free space on that filesystem or point the checkpoint directory at a larger one.", run.Output);
        var kept = File.ReadAllText(latest).Trim();
        Assert.Contains(kept, new[] { "step-000000010", "step-000000020" });
        Assert.Contains($"{kept} stays the latest checkpoint", run.Output);
        Assert.Empty(Directory.EnumerateDirectories(disk.Path, ".staging-*"));

        File.Delete(filler);
        using var next = await TrainAsync(disk.Path, resumed.Path, nproc: 2, maxRestarts: 0, "60", "10");
        Assert.True(next.ExitCode == 0, next.Output);
        Assert.All(Enumerable.Range(0, 2), rank => Assert.Equal([long.Parse(kept[5..], System.Globalization.CultureInfo.InvariantCulture)], StepRecords.Resumes(resumed.Path, rank)));
    }
}
