using System.Globalization;
using System.Text.RegularExpressions;
using DistTrain.Launcher.Tests.Support;
using DistTrain.Protocol.Failures;

namespace DistTrain.Launcher.Tests.Processes;

/// <summary>
/// A TorchSharp worker of a real 2-rank `disttrain run` dies of an exception at a step: its error file
/// holds its last words and the run's summary names the rank, the exception, the step and the last collective.
/// </summary>
public sealed class LastWordsTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(3);

    private static void Says(LauncherProcess run, string text) =>
        Assert.True(run.Stderr.Contains(text, StringComparison.Ordinal), $"The output lacks \"{text}\".\n{run.Output}");

    [Fact]
    public async Task A_worker_dying_of_an_unhandled_exception_after_5_measured_steps_is_named_in_the_summary_with_its_message_step_and_last_collective()
    {
        using var logs = new TempDirectory();
        using var run = await LauncherProcess.RunAsync(
            ["run", "--standalone", "--nproc-per-node", "2", "--grace-period", "5", "--log-dir", logs.Path, "--rdzv-id", "lastwords",
             "--", CheckpointTrainRuns.TestWorker, "fail-at-step", "1", "5", "unhandled", "measured"], Generous);

        Assert.True(run.ExitCode == 1, run.Output);
        var errorFile = Path.Combine(logs.Path, "lastwords", "attempt_0", "rank_1", "error.json");
        var words = ErrorFile.Read(errorFile);
        Assert.True(words is not null, $"rank 1 wrote no error file {errorFile}.\n{run.Output}");
        Assert.Equal((1, 2), (words.Identity.Rank, words.Identity.WorldSize));
        Assert.Equal("DistTrain.Distributed.TestWorker.Failures.UnhandledOnPurposeException", words.ExceptionType);
        Assert.Contains("FailAtStepScenario.Run", words.StackTrace, StringComparison.Ordinal);

        // Where training was: the steps TrainingTelemetry counted, and the process group's last collective
        // (the worker's message says what its group counted when it threw).
        var counted = Regex.Match(words.Message, @"\(last collective (\w+) #(\d+)\)$");
        Assert.True(counted.Success, $"The worker's message names no collective: {words.Message}");
        Assert.Equal(5, words.Step);
        Assert.Equal(("all_reduce", long.Parse(counted.Groups[2].Value, CultureInfo.InvariantCulture)), (words.Collective?.Name, words.Collective?.Sequence ?? 0));
        Assert.Equal("all_reduce", counted.Groups[1].Value);
        Assert.True(words.Collective!.Sequence >= 5, $"5 steps of one all_reduce each, yet the last collective is #{words.Collective.Sequence}");
        Says(run, $"    after step 5; last collective all_reduce #{words.Collective.Sequence}; pid {words.Identity.Pid}, round ");

        // The runtime aborts a process whose exception nobody caught; the summary still has its last words.
        Says(run, $"root cause (first failing rank): rank 1 (local rank 1, pid {words.Identity.Pid}) on host");
        Says(run, "signal SIGABRT (exit code 134)");
        Says(run, "    DistTrain.Distributed.TestWorker.Failures.UnhandledOnPurposeException: rank 1 gives up at step 5 on purpose");
        Says(run, $"    error file: {errorFile}");
        Says(run, "      at DistTrain.Distributed.TestWorker.Failures.FailAtStepScenario.Run");
    }

    [Fact]
    public async Task A_worker_that_catches_and_records_its_exception_is_the_root_cause_even_when_the_peer_it_left_exits_first()
    {
        using var run = await LauncherProcess.RunAsync(
            ["run", "--standalone", "--nproc-per-node", "2", "--grace-period", "5", "--rdzv-id", "recorded",
             "--", CheckpointTrainRuns.TestWorker, "fail-at-step", "0", "3", "recorded"], Generous);
        var agentFolder = Path.Combine(Path.GetTempPath(), $"disttrain-recorded-{run.Pid}");
        try
        {
            Assert.True(run.ExitCode == 1, run.Output);
            var errorFile = Path.Combine(agentFolder, "attempt_0", "rank_0", "error.json");
            Assert.True(File.Exists(errorFile), $"no error file {errorFile}.\n{run.Output}");
            Says(run, "root cause (first failing rank): rank 0 (local rank 0, pid");
            // Rank 0 closed its process group on the way out of its loop, so rank 1 failed too, and may have exited first.
            Says(run, "    System.InvalidOperationException: rank 0 gives up at step 3 on purpose");
            Says(run, $"    error file: {errorFile}");
        }
        finally
        {
            if (Directory.Exists(agentFolder))
                Directory.Delete(agentFolder, recursive: true);
        }
    }
}
