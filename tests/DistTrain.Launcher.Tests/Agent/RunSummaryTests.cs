using DistTrain.Launcher.Agent;
using DistTrain.Launcher.Workers;
using DistTrain.Protocol.V1;

namespace DistTrain.Launcher.Tests.Agent;

/// <summary>The summary's root cause: the worker's last words when it wrote them, and plainly why not when it did not.</summary>
public sealed class RunSummaryTests
{
    private static readonly DateTimeOffset Time = new(2026, 12, 2, 18, 30, 0, TimeSpan.Zero);

    [Fact]
    public void The_root_cause_shows_the_exception_step_collective_top_frames_and_error_file()
    {
        var frames = string.Join('\n', Enumerable.Range(1, 8).Select(i => $"   at Trainer.Frame{i}() in Trainer.cs:line {i}"));
        var words = new RankFailure
        {
            Identity = new RankIdentity { Rank = 1, Round = 3, Host = "box", Pid = 4321 },
            Step = 7,
            Collective = new CollectiveProgress { Sequence = 15, Name = "all_reduce", Waiting = true },
            ExceptionType = "System.InvalidOperationException",
            Message = "rank 1 gives up at step 7",
            StackTrace = "System.InvalidOperationException: rank 1 gives up at step 7\n" + frames,
        };
        var root = Failure(exitCode: 134) with { Pid = 4321, LastWords = new WorkerLastWords("/logs/j/attempt_0/rank_1/error.json", words, null) };

        var text = Summary(root).Format();

        Assert.Contains("root cause (first failing rank): rank 1 (local rank 1, pid 4321) on host box", text, StringComparison.Ordinal);
        Assert.Contains("    signal SIGABRT (exit code 134); not an out-of-memory kill", text, StringComparison.Ordinal);
        Assert.Contains("    System.InvalidOperationException: rank 1 gives up at step 7\n", text, StringComparison.Ordinal);
        Assert.Contains("    after step 7; last collective all_reduce #15, waiting in it; pid 4321, round 3\n", text, StringComparison.Ordinal);
        Assert.Contains("      at Trainer.Frame1() in Trainer.cs:line 1\n", text, StringComparison.Ordinal);
        Assert.Contains("      at Trainer.Frame5() in Trainer.cs:line 5\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Frame6", text, StringComparison.Ordinal);
        Assert.Contains("      … 3 more frame(s) in the error file", text, StringComparison.Ordinal);
        Assert.Contains("    error file: /logs/j/attempt_0/rank_1/error.json", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_worker_killed_by_a_signal_is_said_to_have_written_no_error_file()
    {
        var root = Failure(exitCode: 137) with { LastWords = new WorkerLastWords("/tmp/x/error.json", null, null) };

        var text = Summary(root).Format();

        Assert.Contains("    no last words: a worker killed by a signal (SIGKILL) writes no error file (/tmp/x/error.json); see its output", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_worker_that_exited_without_last_words_says_how_a_program_records_them()
    {
        var text = Summary(Failure(exitCode: 3) with { LastWords = new WorkerLastWords("/tmp/x/error.json", null, null) }).Format();

        Assert.Contains("    no last words in /tmp/x/error.json: it exited with 3 without an unhandled exception (a program that catches its exceptions calls LastWords.Record in that catch)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreadable_error_file_is_reported_with_its_problem()
    {
        var text = Summary(Failure(exitCode: 1) with { LastWords = new WorkerLastWords("/tmp/x/error.json", null, "The error file /tmp/x/error.json is not valid JSON (…)") }).Format();

        Assert.Contains("    The error file /tmp/x/error.json is not valid JSON (…)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_root_cause_stopped_by_disttrain_says_it_failed_first_and_names_the_rank_that_exited_first()
    {
        var peerLost = new RankFailure { Identity = new RankIdentity { Rank = 0 }, ExceptionType = "DistTrain.Distributed.CollectivePeerLostException", Message = "a peer is gone" };
        var firstExit = new WorkerFailure(0, 0, "box", 1, Time, OomVerdict.No, 3, 0, null) { LastWords = new WorkerLastWords("/e0", peerLost, null) };
        var root = Failure(exitCode: 143) with { StoppedByAgent = true, FirstToExit = firstExit };

        var text = Summary(root).Format();

        Assert.Contains("root cause (first failing rank): rank 1", text, StringComparison.Ordinal);
        Assert.Contains("    failed first, by its last words; still exiting when rank 0 exited, so disttrain stopped it (signal SIGTERM (exit code 143))", text, StringComparison.Ordinal);
        Assert.Contains("    first to exit, a consequence: rank 0 (exit code 1): DistTrain.Distributed.CollectivePeerLostException: a peer is gone", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rank_named_stuck_that_restarted_the_group_is_listed_with_its_host_pid_step_and_collective()
    {
        var status = new RankStatus
        {
            Latest = new RankTelemetry
            {
                Identity = new RankIdentity { Rank = 1, Host = "box", Pid = 4002 },
                Step = 57,
                Collective = new CollectiveProgress { Sequence = 60, Name = "all_reduce" },
            },
            Health = RankHealth.Stuck,
            HealthReason = "collective 60 (all_reduce) has not advanced for 10 s while ranks 0 wait in 61",
        };
        var summary = new RunSummary { RunId = "j", NodeId = "box", ExitCode = 0, Outcome = "finished", Restarts = 1, MaxRestarts = 1, StuckRanks = [StuckRank.From(status, round: 1)] };

        var text = summary.Format();

        Assert.Contains(
            "  stuck ranks, named by the coordinator (each restarted the group):\n" +
            "    rank 1 on box (pid 4002), round 1: last step 57, last collective all_reduce #60; collective 60 (all_reduce) has not advanced for 10 s while ranks 0 wait in 61\n",
            text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    private static WorkerFailure Failure(int exitCode) => new(1, 1, "box", exitCode, Time, OomVerdict.No, 3, 0, null);

    private static RunSummary Summary(WorkerFailure root) => new()
    {
        RunId = "j",
        NodeId = "box",
        ExitCode = 1,
        Outcome = "FAILED: restarts used up (0/0)",
        Failures = [root],
        RootCause = root,
    };
}
