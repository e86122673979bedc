using System.Text.RegularExpressions;
using DistTrain.Cluster.Tests.Support;
using DistTrain.Tests.Shared;

namespace DistTrain.Cluster.Tests.Slurm;

/// <summary>The scripts in slurm/ as a user copies them: sbatch accepts each, and each carries the preemption settings.</summary>
[Collection(SlurmCollection.Name)]
public sealed class BatchScriptTests(SlurmCluster cluster)
{
    public static TheoryData<string> Scripts =>
        new(Directory.GetFiles(RepoPaths.Of("slurm"), "*.sbatch").Select(Path.GetFileName).Order()!);

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task Sbatch_accepts_the_script_as_written(string script)
    {
        // --test-only: sbatch checks the script's #SBATCH lines against the cluster and schedules nothing.
        // The test cluster has one node, so a multi-node request is brought down to it.
        var result = await Shell.RunAsync(
            "sbatch", ["--test-only", "--nodes=1", RepoPaths.Of(Path.Combine("slurm", script))],
            cluster.ClientEnvironment, workingDirectory: RepoPaths.Root);

        Assert.True(result.ExitCode == 0, $"{result.Error}\n{cluster.ReadLogs()}");
        Assert.Contains("to start at", result.Error);
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_warns_before_the_time_limit_requeues_and_runs_disttrain_through_the_shared_helper(string script)
    {
        var text = File.ReadAllText(RepoPaths.Of(Path.Combine("slurm", script)));

        Assert.Matches(new Regex(@"^#SBATCH --signal=B:USR1@\d+", RegexOptions.Multiline), text);
        Assert.Matches(new Regex(@"^#SBATCH --requeue\b", RegexOptions.Multiline), text);
        Assert.Matches(new Regex(@"^#SBATCH --time=\S+", RegexOptions.Multiline), text);
        Assert.Matches(new Regex(@"^#SBATCH --output=\S+", RegexOptions.Multiline), text);
        Assert.Matches(new Regex(@"^#SBATCH --(gpus-per-node|cpus-per-task)=\d+", RegexOptions.Multiline), text);
        Assert.Matches(new Regex(@"^exec ""\$\{SLURM_SUBMIT_DIR:-\.\}/slurm/srun-disttrain\.sh"" --nproc-per-node \S+ -- ""\$@""$", RegexOptions.Multiline), text);
    }
}
