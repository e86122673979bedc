using DistTrain.Launcher.Tests.Support;

namespace DistTrain.Launcher.Tests.Processes;

/// <summary>Real agents running the test worker: failures, restarts, the summary.</summary>
public sealed class RestartTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Standalone_job_runs_every_rank_with_torchrun_environment_and_finishes_with_0()
    {
        using var run = await LauncherProcess.RunAsync(["run", "--standalone", "--nproc-per-node", "2", "--", LauncherProcess.Worker, "ok"], Generous);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("[rank0]: rank=0 local=0 world=2 round=1 restart=0", run.Stdout);
        Assert.Contains("[rank1]: rank=1 local=1 world=2 round=1 restart=0", run.Stdout);
        Assert.Contains("finished: all 2 ranks exited with 0", run.Stderr);
    }

    [Fact]
    public async Task A_worker_that_exits_non_zero_restarts_the_whole_group_and_the_job_finishes()
    {
        using var run = await LauncherProcess.RunAsync(
            ["run", "--standalone", "--nproc-per-node", "2", "--max-restarts", "2", "--grace-period", "5", "--", LauncherProcess.Worker, "fail-once", "1"], Generous);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("[rank1]: rank 1 failing on purpose", run.Stderr);
        Assert.Contains("rank 1 failed (exit code 3); stopping this node's workers.", run.Stderr);
        Assert.Contains("(attempt 1, restart 1/2)", run.Stderr);

        // Both ranks ran again (rank 0 was stopped in the first attempt, not left running).
        Assert.Contains("[rank0]: rank 0 done after restart 1", run.Stdout);
        Assert.Contains("[rank1]: rank 1 done after restart 1", run.Stdout);
        Assert.Contains("finished: all 2 ranks exited with 0", run.Stderr);
    }

    [Fact]
    public async Task Exhausted_restarts_end_the_job_with_a_summary_naming_the_failing_rank()
    {
        using var logs = new TempDirectory();
        using var run = await LauncherProcess.RunAsync(
            ["run", "--standalone", "--nproc-per-node", "3", "--max-restarts", "1", "--grace-period", "5", "--log-dir", logs.Path, "--rdzv-id", "exhaust",
             "--", LauncherProcess.Worker, "fail-always", "2"], Generous);

        Assert.True(run.ExitCode == 1, run.Output);
        Assert.Contains("FAILED: restarts used up (1/1)", run.Stderr);
        Assert.Contains("root cause (first failing rank): rank 2 (local rank 2, pid ", run.Stderr);
        Assert.Contains("exit code 7; not an out-of-memory kill", run.Stderr);
        Assert.Contains("earlier failures", run.Stderr);

        // The failing rank's output was kept, per attempt.
        var kept = File.ReadAllText(Path.Combine(logs.Path, "exhaust", "attempt_1", "rank_2", "stderr.log"));
        Assert.Contains("rank 2 failing on purpose", kept);
        Assert.Contains(Path.Combine(logs.Path, "exhaust", "attempt_1", "rank_2", "stderr.log"), run.Stderr);
    }

    [Fact]
    public async Task A_worker_killed_by_SIGKILL_from_outside_is_reported_with_the_signal_and_the_memory_verdict()
    {
        using var run = await LauncherProcess.RunAsync(
            ["run", "--standalone", "--nproc-per-node", "2", "--grace-period", "5", "--", LauncherProcess.Worker, "sigkill", "0"], Generous);

        Assert.True(run.ExitCode == 1, run.Output);
        Assert.Contains("root cause (first failing rank): rank 0", run.Stderr);
        Assert.Contains("signal SIGKILL (exit code 137)", run.Stderr);

        // Either the counter was readable (and did not rise: no OOM) or it was not (then "probably").
        Assert.True(
            run.Stderr.Contains("no OOM kill was counted", StringComparison.Ordinal) || run.Stderr.Contains("probably the kernel's OOM killer", StringComparison.Ordinal),
            run.Output);
    }
}
