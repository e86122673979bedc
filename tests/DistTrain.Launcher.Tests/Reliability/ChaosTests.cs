using System.Globalization;
using System.Text.RegularExpressions;
using DistTrain.Launcher.Tests.Support;
using Xunit.Abstractions;
using static DistTrain.Launcher.Tests.Support.CheckpointTrainRuns;

namespace DistTrain.Launcher.Tests.Reliability;

/// <summary>
/// Chaos through real processes: one `disttrain run` job (2 ranks, CPU, checkpoint-train for 100 steps, a checkpoint
/// every 10) whose workers a driver kills with SIGKILL, a random rank at a random step, K times; the agent restarts the
/// group each time and the job resumes from the latest committed checkpoint. DISTTRAIN_CHAOS_KILLS (default 10, to keep CI short; the script runs 20) and
/// DISTTRAIN_CHAOS_SEED (default: a fresh one, printed) repeat a run; bench/reliability/chaos.sh runs it and records it.
/// </summary>
public sealed class ChaosTests(ITestOutputHelper log)
{
    private const int Steps = 100;
    private const int StepsPerEpoch = 50;
    private const int SamplesPerEpoch = 600;

    [Fact]
    public async Task Kill_9_of_a_random_worker_at_random_steps_K_times_in_one_job_loses_and_repeats_no_sample_and_ends_with_a_straight_runs_weights()
    {
        var kills = int.Parse(Environment.GetEnvironmentVariable("DISTTRAIN_CHAOS_KILLS") ?? "10", CultureInfo.InvariantCulture);
        var seed = int.Parse(Environment.GetEnvironmentVariable("DISTTRAIN_CHAOS_SEED") ?? Random.Shared.Next(1_000_000).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var plan = ChaosPlan.Draw(seed, kills, firstStep: 2, lastStep: Steps - 5);
        log.WriteLine($"chaos seed {seed}: {plan}");
        using var straight = await StraightRunAsync("10");
        using var checkpoints = new TempDirectory();
        using var chaos = new TempDirectory();
        var started = DateTime.UtcNow;

        using var run = LauncherProcess.Start(Arguments(checkpoints.Path, chaos.Path, nproc: 2, maxRestarts: kills, $"{Steps}", "10", "--step-delay", "30"));
        for (var i = 0; i < kills; i++)
        {
            var (step, rank) = plan.Kills[i];
            await run.WaitForAsync(
                () => Enumerable.Range(0, 2).All(r => StepRecords.Resumes(chaos.Path, r).Count == i + 1) && StepRecords.LastStepBegun(chaos.Path, rank) >= step,
                Generous, $"kill {i + 1} (seed {seed}): start {i + 1} of rank {rank} at step {step}");
            Assert.Equal(0, Probe.Signal(Probe.ReadPid(Path.Combine(chaos.Path, $"pid-rank-{rank}.txt")), 9));
        }

        var exitCode = await run.WaitAsync(Generous);

        Assert.True(exitCode == 0, $"seed {seed}\n{run.Output}");
        // The agent prints "(attempt A, restart R/MAX)" at each start of the group, R = 0 at the first.
        var restarts = Regex.Matches(run.Stderr, $@"restart (\d+)/{kills}\)").Select(m => m.Groups[1].Value).Distinct().Count(r => r != "0");
        var resumes = StepRecords.Resumes(chaos.Path, 0);
        var epochs = Enumerable.Range(0, Steps / StepsPerEpoch).Select(epoch => SampleCount.Of(Enumerable.Range(0, 2)
            .SelectMany(r => StepRecords.Effective(chaos.Path, r).Where(s => s.Key / StepsPerEpoch == epoch))
            .SelectMany(s => s.Value), SamplesPerEpoch)).ToList();
        var weightsEqual = Weights(straight.Path).AsSpan().SequenceEqual(Weights(chaos.Path));
        log.WriteLine($"chaos seed {seed}: {kills} kills, {restarts} restarts, resumed at [{string.Join(' ', resumes)}], "
            + $"{string.Join("; ", epochs.Select((e, n) => $"epoch {n}: {e}"))}; weights equal to the straight run: {weightsEqual}; {(DateTime.UtcNow - started).TotalSeconds:F0} s");

        Assert.Contains($"restart {kills}/{kills}", run.Stderr);
        Assert.Equal(kills, restarts);
        Assert.All(Enumerable.Range(0, 2), r => Assert.Equal(kills + 1, StepRecords.Resumes(chaos.Path, r).Count));
        Assert.All(epochs, e => Assert.Equal((SamplesPerEpoch, 0, 0), (e.Trained, e.Lost, e.Repeated)));
        Assert.All(Enumerable.Range(0, 2), r => Assert.Equal(StepRecords.Effective(straight.Path, r), StepRecords.Effective(chaos.Path, r)));
        Assert.True(weightsEqual, $"seed {seed}: the final weights differ from the straight run's");
    }
}
