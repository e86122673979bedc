using DistTrain.Launcher.Tests.Support;
using static DistTrain.Launcher.Tests.Support.CheckpointTrainRuns;

namespace DistTrain.Launcher.Tests.Processes;

/// <summary>An agent killed with SIGKILL cannot stop its workers: they stop themselves (DISTTRAIN_AGENT_PID).</summary>
public sealed class AgentKillTests
{
    [Fact]
    public async Task Kill_9_of_the_agent_stops_its_workers_within_seconds_instead_of_leaving_them_training_to_the_end()
    {
        using var checkpoints = new TempDirectory();
        using var output = new TempDirectory();
        using var run = LauncherProcess.Start(Arguments(checkpoints.Path, output.Path, nproc: 2, maxRestarts: 0, "100", "10", "--step-delay", "100"));
        var latest = Path.Combine(checkpoints.Path, "latest");
        await run.WaitForAsync(() => File.Exists(latest), Generous, "the first checkpoint");
        int[] workers = [Probe.ReadPid(Path.Combine(output.Path, "pid-rank-0.txt")), Probe.ReadPid(Path.Combine(output.Path, "pid-rank-1.txt"))];
        try
        {
            Assert.Equal(0, Probe.Signal(run.Pid, 9));

            // Left alone, the 90 or so steps still to go take at least 9 s at 100 ms a step.
            var alive = await Probe.WaitGoneAsync(workers, TimeSpan.FromSeconds(5));

            Assert.True(alive.Length == 0, $"workers {string.Join(", ", alive)} still run after their agent was killed\n{run.Output}");
            Assert.All(Enumerable.Range(0, 2), rank =>
            {
                var last = StepRecords.LastStepBegun(output.Path, rank);
                Assert.True(last < 90, $"rank {rank} trained to step {last}: it did not stop with its agent");
            });
        }
        finally
        {
            Probe.KillAll(workers);
        }
    }
}
