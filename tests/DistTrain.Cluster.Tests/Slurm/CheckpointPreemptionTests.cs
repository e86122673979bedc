using System.Globalization;
using System.Reflection;
using DistTrain.Tests.Shared;

namespace DistTrain.Cluster.Tests.Slurm;

/// <summary>
/// Preemption with real checkpoints on the test cluster: slurm/cpu.sbatch runs the TorchSharp test worker's
/// checkpoint-train scenario (2 tasks, DDP, the data plan, checkpoints through the coordinator); the USR1
/// warning makes the ranks checkpoint, the script requeues the job, and the requeued job resumes from the
/// checkpoint directory and finishes with every sample of each epoch trained exactly once.
/// </summary>
[Collection(SlurmCollection.Name)]
public sealed class CheckpointPreemptionTests(SlurmCluster cluster)
{
    private static string TestWorker()
    {
        var configuration = typeof(CheckpointPreemptionTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var dll = RepoPaths.Of(Path.Combine("tests", "DistTrain.Distributed.TestWorker", "bin", configuration, "net10.0", "DistTrain.Distributed.TestWorker.dll"));
        Assert.True(File.Exists(dll), $"The test worker is not built ({dll}): dotnet build DistTrain.sln -c {configuration}.");
        return dll;
    }

    [Fact]
    public async Task A_usr1_warning_checkpoints_the_requeued_job_resumes_from_it_and_every_sample_of_each_epoch_is_trained_once()
    {
        using var run = BatchScriptRun.Create(cluster);
        var output = Directory.CreateDirectory(Path.Combine(run.Folder, "out")).FullName;
        var checkpoints = Path.Combine(run.Folder, "checkpoints");

        var id = await run.SubmitAsync(
            "cpu.sbatch",
            ["--ntasks-per-node=2", "--cpus-per-task=1", "--time=5"],
            ["dotnet", TestWorker(), "checkpoint-train", output, "100", "1000", "--step-delay", "60"],
            new Dictionary<string, string> { ["DISTTRAIN_CHECKPOINT_DIR"] = checkpoints, ["DISTTRAIN_CHECKPOINT_WAIT"] = "3" });
        await WaitForStepsAsync(output, 20, TimeSpan.FromSeconds(120));
        await cluster.SignalBatchScriptAsync(id, "USR1");
        var job = await cluster.WaitForJobAsync(id, TimeSpan.FromSeconds(180));

        var log = BatchScriptRun.Output(job);
        var details = $"{job.Line}\n--- job output\n{log}\n{cluster.ReadLogs()}";
        Assert.True(job.State == "COMPLETED", details);
        Assert.True(job["Restarts"] == "1", details);
        Assert.Contains("on signal 10", log);
        Assert.Contains($"requeueing job {id}", log);
        for (var rank = 0; rank < 2; rank++)
        {
            var lines = File.ReadAllLines(Path.Combine(output, $"ids-rank-{rank}.txt"));
            var resumes = lines.Where(l => l.StartsWith("resume ", StringComparison.Ordinal)).Select(l => long.Parse(l[7..], CultureInfo.InvariantCulture)).ToList();
            Assert.True(resumes.Count == 2 && resumes[0] == 0 && resumes[1] >= 20, $"rank {rank} resumed at [{string.Join(", ", resumes)}]\n{details}");
        }

        // The steps that count, per rank: a step redone after the resume replaces the first run's try.
        var effective = new SortedDictionary<long, List<long>>();
        for (var rank = 0; rank < 2; rank++)
        {
            var mine = new Dictionary<long, long[]>();
            foreach (var line in File.ReadAllLines(Path.Combine(output, $"ids-rank-{rank}.txt")).Where(l => !l.StartsWith("resume ", StringComparison.Ordinal)))
            {
                var parts = line.Split(' ', 2);
                mine[long.Parse(parts[0], CultureInfo.InvariantCulture)] = [.. parts[1].Split(',').Select(i => long.Parse(i, CultureInfo.InvariantCulture))];
            }

            foreach (var (step, ids) in mine)
            {
                if (!effective.TryGetValue(step, out var all))
                    effective[step] = all = [];
                all.AddRange(ids);
            }
        }

        Assert.Equal(100, effective.Count);
        foreach (var epoch in new[] { 0, 1 })
        {
            var trained = effective.Where(s => s.Key / 50 == epoch).SelectMany(s => s.Value).ToList();
            Assert.Equal(Enumerable.Range(0, 600).Select(i => (long)i), trained.Order());
        }
    }

    private static async Task WaitForStepsAsync(string output, int steps, TimeSpan deadline)
    {
        var file = Path.Combine(output, "ids-rank-0.txt");
        var until = DateTime.UtcNow + deadline;
        while (DateTime.UtcNow < until)
        {
            if (File.Exists(file))
            {
                using var reader = new StreamReader(new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
                if (reader.ReadToEnd().Split('\n').Count(l => l.Length > 0 && char.IsDigit(l[0])) >= steps)
                    return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"rank 0 did not train {steps} steps within {deadline}");
    }
}
