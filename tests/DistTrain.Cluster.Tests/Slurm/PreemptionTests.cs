namespace DistTrain.Cluster.Tests.Slurm;

/// <summary>
/// The scripts' preemption path on the real test cluster: sbatch's <c>--signal=B:USR1</c> warning reaches
/// the batch script, which forwards it through srun and <c>disttrain run</c> to every rank, and the job
/// requeues itself and runs again.
/// </summary>
[Collection(SlurmCollection.Name)]
public sealed class PreemptionTests(SlurmCluster cluster)
{
    // A training program's preemption behaviour, reduced to what SLURM sees: on SIGUSR1 it writes its
    // checkpoint and stops; started again after a requeue, it resumes and finishes.
    private const string Program = """
        #!/usr/bin/env bash
        trap 'echo "rank $RANK checkpointed on SIGUSR1"; exit 0' USR1
        if [ "${SLURM_RESTART_COUNT:-0}" -gt 0 ]; then
          echo "rank $RANK of $WORLD_SIZE resumed after requeue $SLURM_RESTART_COUNT"
          sleep 1    # the remaining steps
          exit 0
        fi
        echo "rank $RANK of $WORLD_SIZE training"
        while true; do sleep 0.2; done
        """;

    [Fact]
    public async Task A_usr1_warning_to_the_batch_script_reaches_every_rank_then_the_job_requeues_itself_and_completes()
    {
        using var run = BatchScriptRun.Create(cluster);
        var program = Path.Combine(run.Folder, "train.sh");
        await File.WriteAllTextAsync(program, Program);
        File.SetUnixFileMode(program, (UnixFileMode)0b111_101_101);

        var id = await run.SubmitAsync(
            "cpu.sbatch",
            // Five minutes: the script's own warning (USR1 120 s before the limit) stays 3 minutes away.
            ["--ntasks-per-node=2", "--cpus-per-task=1", "--time=5"],
            [program],
            new Dictionary<string, string> { ["DISTTRAIN_CHECKPOINT_WAIT"] = "20" });

        // The warning sbatch --signal=B:USR1@120 sends: to the batch script alone, once both ranks train.
        await run.WaitForOutputAsync(id, text => text.Contains("rank 0 of 2 training") && text.Contains("rank 1 of 2 training"), TimeSpan.FromSeconds(60));
        await cluster.SignalBatchScriptAsync(id, "USR1");
        var job = await cluster.WaitForJobAsync(id, TimeSpan.FromSeconds(90));

        var output = BatchScriptRun.Output(job);
        var details = $"{job.Line}\n--- job output\n{output}\n{cluster.ReadLogs()}";
        Assert.True(job.State == "COMPLETED", details);
        Assert.True(job.ExitCode == "0:0", details);
        Assert.True(job["Restarts"] == "1", details);
        foreach (var rank in new[] { 0, 1 })
        {
            Assert.Contains($"rank {rank} checkpointed on SIGUSR1", output);
            Assert.Contains($"rank {rank} of 2 resumed after requeue 1", output);
        }

        Assert.Contains($"requeueing job {id}", output);
    }
}
