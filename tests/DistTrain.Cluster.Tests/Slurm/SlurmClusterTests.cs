namespace DistTrain.Cluster.Tests.Slurm;

/// <summary>The test cluster itself: proves the fixture gives a working SLURM before the scripts are run on it.</summary>
[Collection(SlurmCollection.Name)]
public sealed class SlurmClusterTests(SlurmCluster cluster)
{
    [Fact]
    public async Task A_two_task_batch_job_runs_both_tasks_and_completes()
    {
        var dir = Directory.CreateTempSubdirectory("disttrain-slurm-job-").FullName;
        try
        {
            var script = Path.Combine(dir, "two-tasks.sbatch");
            await File.WriteAllTextAsync(script, """
                #!/bin/bash
                #SBATCH --ntasks=2 --time=1 --output=%x-%j.out
                srun bash -c 'echo "task $SLURM_PROCID of $SLURM_NTASKS"'
                """);

            var id = await cluster.SubmitAsync(script, [], [], new Dictionary<string, string>(), dir);
            var job = await cluster.WaitForJobAsync(id, TimeSpan.FromSeconds(60));

            Assert.True(job.State == "COMPLETED", $"{job.Line}\n{cluster.ReadLogs()}");
            Assert.Equal("0:0", job.ExitCode);
            var lines = File.ReadAllLines(job.StdOut).Order().ToArray();
            Assert.Equal(["task 0 of 2", "task 1 of 2"], lines);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
