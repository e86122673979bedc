using System.Globalization;
using System.Text.RegularExpressions;
using DistTrain.Cluster.Tests.Support;

namespace DistTrain.Cluster.Tests.Slurm;

/// <summary>slurm/cpu.sbatch on the real test cluster, running a distributed training example to its end.</summary>
[Collection(SlurmCollection.Name)]
public sealed class TrainingJobTests(SlurmCluster cluster)
{
    [Fact]
    public async Task Cpu_script_trains_mnist_on_two_tasks_to_completion_and_reports_accuracy()
    {
        using var run = BatchScriptRun.Create(cluster);
        var example = BuiltExample.Dll("MnistMlp");

        var id = await run.SubmitAsync(
            "cpu.sbatch",
            ["--ntasks-per-node=2", "--cpus-per-task=1", "--time=5"],
            ["dotnet", example, "--epochs", "1", "--threads", "1"]);
        var job = await cluster.WaitForJobAsync(id, TimeSpan.FromMinutes(4));

        var output = BatchScriptRun.Output(job);
        var details = $"{job.Line}\n--- job output\n{output}\n{cluster.ReadLogs()}";
        Assert.True(job.State == "COMPLETED", details);
        Assert.True(job.ExitCode == "0:0", details);

        // Both ranks trained, as the two ranks of one data-parallel job: each says so, and each ends
        // with the held-out accuracy (scored by the ranks together).
        foreach (var rank in new[] { 0, 1 })
        {
            Assert.True(Regex.IsMatch(output, $@"^\[rank{rank}\]: MNIST from .*per rank × 2 ranks", RegexOptions.Multiline), $"rank {rank} did not train as one of 2 ranks.\n{details}");
            Assert.True(Regex.IsMatch(output, $@"^\[rank{rank}\]: held-out accuracy: \d", RegexOptions.Multiline), $"rank {rank} did not finish training.\n{details}");
        }

        Assert.True(Regex.IsMatch(output, @"^\[rank0\]: epoch 1 .*loss \d", RegexOptions.Multiline), $"No epoch report from rank 0.\n{details}");

        // The accuracy line, with an accuracy no untrained model reaches (chance is 10 %).
        var accuracy = Regex.Match(output, @"^\[rank0\]: held-out accuracy: (\d+(\.\d+)?) ?%", RegexOptions.Multiline);
        Assert.True(accuracy.Success, $"No accuracy line from rank 0.\n{details}");
        Assert.True(double.Parse(accuracy.Groups[1].Value, CultureInfo.InvariantCulture) > 50, details);
    }
}
