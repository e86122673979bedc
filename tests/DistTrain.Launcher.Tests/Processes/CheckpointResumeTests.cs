using System.Globalization;
using DistTrain.Launcher.Tests.Support;
using static DistTrain.Launcher.Tests.Support.CheckpointTrainRuns;

namespace DistTrain.Launcher.Tests.Processes;

/// <summary>
/// Checkpoints through the coordinator and resume, end to end: real agents (`disttrain run`) running the
/// TorchSharp test worker's checkpoint-train scenario (DDP, Adam, the data plan) on the CPU.
/// </summary>
public sealed class CheckpointResumeTests
{
    [Fact]
    public async Task Fifty_steps_then_kill_9_of_a_worker_restart_and_resume_end_with_the_weights_and_sample_ids_of_a_straight_run_bitwise()
    {
        using var straight = await StraightRunAsync("10");
        using var killedCheckpoints = new TempDirectory();
        using var killed = new TempDirectory();

        using var killedRun = await TrainAsync(killedCheckpoints.Path, killed.Path, nproc: 2, maxRestarts: 1, "100", "10", "--kill", "1", "53");

        Assert.True(killedRun.ExitCode == 0, killedRun.Output);
        Assert.Contains("killing myself with SIGKILL after the checkpoint of step 50", killedRun.Stdout);
        Assert.Contains("signal SIGKILL", killedRun.Stderr);
        Assert.Contains("restart 1/1", killedRun.Stderr);
        for (var rank = 0; rank < 2; rank++)
        {
            var resumedAt = StepRecords.Resumes(killed.Path, rank);
            Assert.Equal([0L, 50L], resumedAt);
            Assert.Equal(StepRecords.Effective(straight.Path, rank), StepRecords.Effective(killed.Path, rank));
        }

        Assert.Equal(100, StepRecords.Effective(killed.Path, 0).Count);
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight.Path, "weights.bin")), File.ReadAllBytes(Path.Combine(killed.Path, "weights.bin")));
    }

    [Fact]
    public async Task A_kill_9_from_outside_after_the_checkpoint_of_step_50_restarts_and_resumes_to_a_straight_runs_weights()
    {
        using var straight = await StraightRunAsync("10");
        using var checkpoints = new TempDirectory();
        using var killed = new TempDirectory();

        using var run = LauncherProcess.Start(Arguments(checkpoints.Path, killed.Path, nproc: 2, maxRestarts: 1, "100", "10", "--step-delay", "30"));
        var latest = Path.Combine(checkpoints.Path, "latest");
        await run.WaitForAsync(() => File.Exists(latest) && string.CompareOrdinal(File.ReadAllText(latest).Trim(), "step-000000050") >= 0, Generous, "the checkpoint of step 50");
        var victim = Probe.ReadPid(Path.Combine(killed.Path, "pid-rank-1.txt"));
        Assert.Equal(0, Probe.Signal(victim, 9));
        var exitCode = await run.WaitAsync(Generous);

        Assert.True(exitCode == 0, run.Output);
        Assert.Contains("signal SIGKILL", run.Stderr);
        Assert.Contains("restart 1/1", run.Stderr);
        var resumedAt = StepRecords.Resumes(killed.Path, 1);
        Assert.Equal(2, resumedAt.Count);
        Assert.True(resumedAt[1] >= 50 && resumedAt[1] % 10 == 0, $"resumed at {resumedAt[1]}");
        Assert.All(Enumerable.Range(0, 2), rank => Assert.Equal(StepRecords.Effective(straight.Path, rank), StepRecords.Effective(killed.Path, rank)));
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight.Path, "weights.bin")), File.ReadAllBytes(Path.Combine(killed.Path, "weights.bin")));
    }

    [Fact]
    public async Task A_rank_killed_inside_the_checkpoint_of_step_50_after_rank_0_staged_it_never_commits_it_and_the_job_resumes_from_40_to_a_straight_runs_weights()
    {
        using var straight = await StraightRunAsync("10");
        using var checkpoints = new TempDirectory();
        using var killed = new TempDirectory();

        using var run = await TrainAsync(checkpoints.Path, killed.Path, nproc: 2, maxRestarts: 1, "100", "10", "--kill-in-save", "1", "50");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("killing myself with SIGKILL in the checkpoint of step 50: rank 0 staged it", run.Stdout);
        Assert.Contains("restart 1/1", run.Stderr);
        Assert.All(Enumerable.Range(0, 2), rank => Assert.Equal([0L, 40L], StepRecords.Resumes(killed.Path, rank)));
        Assert.All(Enumerable.Range(0, 2), rank => Assert.Equal(StepRecords.Effective(straight.Path, rank), StepRecords.Effective(killed.Path, rank)));
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight.Path, "weights.bin")), File.ReadAllBytes(Path.Combine(killed.Path, "weights.bin")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(checkpoints.Path, ".staging-*"));
    }

    [Fact]
    public async Task Keep_checkpoints_1_leaves_only_the_newest_committed_checkpoint()
    {
        using var checkpoints = new TempDirectory();
        using var output = new TempDirectory();
        string[] args = [.. Arguments(checkpoints.Path, output.Path, nproc: 2, maxRestarts: 0, "30", "10")];
        args = [args[0], "--keep-checkpoints", "1", .. args[1..]];

        using var run = await LauncherProcess.RunAsync(args, Generous);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(["step-000000030"], Directory.EnumerateDirectories(checkpoints.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task Three_ranks_then_two_after_a_corrupted_newest_checkpoint_train_every_sample_of_the_epoch_exactly_once_from_the_previous_checkpoint()
    {
        using var checkpoints = new TempDirectory();
        using var three = new TempDirectory();
        using var two = new TempDirectory();

        using var first = await TrainAsync(checkpoints.Path, three.Path, nproc: 3, maxRestarts: 0, "30", "10");
        Assert.True(first.ExitCode == 0, first.Output);
        var model = Path.Combine(checkpoints.Path, "step-000000030", "model.safetensors");
        var bytes = File.ReadAllBytes(model);
        bytes[^1] ^= 0x01;
        File.WriteAllBytes(model, bytes);
        using var second = await TrainAsync(checkpoints.Path, two.Path, nproc: 2, maxRestarts: 0, "50", "10");

        Assert.True(second.ExitCode == 0, second.Output);
        var skipped = second.Output.Split('\n').Where(l => l.Contains("Skipping step-000000030", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(skipped);
        Assert.Contains("model.safetensors", line);
        Assert.True(line.Contains("resuming from step-000000020 instead", StringComparison.Ordinal), line);
        Assert.All(Enumerable.Range(0, 2), rank => Assert.Equal([20L], StepRecords.Resumes(two.Path, rank)));

        // The steps that count: the 3-rank run's before the checkpoint resumed from, the 2-rank run's after it.
        var trained = Enumerable.Range(0, 3).SelectMany(rank => StepRecords.Effective(three.Path, rank).Where(s => s.Key < 20))
            .Concat(Enumerable.Range(0, 2).SelectMany(rank => StepRecords.Effective(two.Path, rank)))
            .SelectMany(s => s.Value)
            .ToList();
        Assert.Equal(600, trained.Count);
        Assert.Equal(Enumerable.Range(0, 600).Select(i => (long)i), trained.Order());
    }

    [Fact]
    public async Task SIGUSR1_saves_at_the_next_step_SIGTERM_saves_and_stops_and_the_next_run_resumes_there_with_a_straight_runs_weights()
    {
        using var straight = await StraightRunAsync("1000");
        using var checkpoints = new TempDirectory();
        using var signalled = new TempDirectory();
        using var resumed = new TempDirectory();

        using var run = LauncherProcess.Start(
            ["run", "--standalone", "--nproc-per-node", "2", "--grace-period", "60", "--checkpoint-dir", checkpoints.Path,
             "--", TestWorker, "checkpoint-train", signalled.Path, "100", "1000", "--step-delay", "40"]);
        await run.WaitForAsync(() => StepsRecorded(signalled.Path) >= 15, Generous, "15 steps");
        Assert.Equal(0, Probe.Signal(run.Pid, 10));
        await run.WaitForAsync(() => run.Stdout.Contains("on signal 10", StringComparison.Ordinal), Generous, "the save on SIGUSR1");
        await run.WaitForAsync(() => StepsRecorded(signalled.Path) >= 40, Generous, "40 steps");
        Assert.Equal(0, Probe.Signal(run.Pid, 15));
        var exitCode = await run.WaitAsync(Generous);

        Assert.True(exitCode == 143, run.Output);
        var onUsr1 = SavedOn(run.Stdout, 10);
        var onTerm = SavedOn(run.Stdout, 15);
        Assert.InRange(onUsr1, 15, 39);
        Assert.InRange(onTerm, 40, 99);
        Assert.True(Directory.Exists(Path.Combine(checkpoints.Path, $"step-{onUsr1:D9}")), run.Output);
        Assert.Equal($"step-{onTerm:D9}", File.ReadAllText(Path.Combine(checkpoints.Path, "latest")).Trim());

        using var next = await TrainAsync(checkpoints.Path, resumed.Path, nproc: 2, maxRestarts: 0, "100", "1000");
        Assert.True(next.ExitCode == 0, next.Output);
        Assert.All(Enumerable.Range(0, 2), rank => Assert.Equal([onTerm], StepRecords.Resumes(resumed.Path, rank)));
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight.Path, "weights.bin")), File.ReadAllBytes(Path.Combine(resumed.Path, "weights.bin")));
    }

    private static int StepsRecorded(string output)
    {
        var file = Path.Combine(output, "ids-rank-0.txt");
        if (!File.Exists(file))
            return 0;
        using var reader = new StreamReader(new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        return reader.ReadToEnd().Split('\n').Count(l => l.Length > 0 && char.IsDigit(l[0]));
    }

    // The step rank 0 saved on the signal (the scenario prints "rank 0 saves step S on signal N").
    private static long SavedOn(string stdout, int signal)
    {
        var match = System.Text.RegularExpressions.Regex.Match(stdout, $@"rank 0 saves step (\d+) on signal {signal}\b");
        Assert.True(match.Success, $"no save on signal {signal} in:\n{stdout}");
        return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
