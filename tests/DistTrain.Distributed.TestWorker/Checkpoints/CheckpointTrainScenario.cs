using System.Diagnostics;
using System.Globalization;
using DistTrain.Checkpointing;
using DistTrain.Checkpoints;
using DistTrain.Data;
using DistTrain.Distributed.TestWorker.Ddp;
using DistTrain.Parallel;
using DistTrain.Protocol;
using DistTrain.Protocol.DataPlan;
using static TorchSharp.torch;

namespace DistTrain.Distributed.TestWorker.Checkpoints;

/// <summary>
/// checkpoint-train OUT STEPS SAVE_EVERY [--kill RANK AFTER] [--kill-in-save RANK STEP] [--step-delay MS]: an MLP trained with DDP and Adam on 600
/// generated samples, read through the data plan "train" in global steps of 12 (50 steps an epoch), up to
/// global step STEPS, checkpointed through the coordinator every SAVE_EVERY steps, at the end, and at the
/// step that agrees after a SIGUSR1 or SIGTERM (CheckpointTriggers.Decide: within 10 steps; after
/// SIGTERM the loop ends there), resumed from the coordinator's latest checkpoint at start. Each rank appends "step ids" per step to
/// OUT/ids-rank-R.txt (a "resume S" line first) and its process id to OUT/pid-rank-R.txt; rank 0 writes the final weights to OUT/weights.bin. With
/// --kill, rank RANK sends itself SIGKILL after step AFTER of the first start (restart count 0), once the
/// checkpoint before it is committed. With --kill-in-save, rank RANK (not 0, the writer) of the first start sends itself
/// SIGKILL in the checkpoint of step STEP: after rank 0 began it and staged its files, before RANK began or reported,
/// so the coordinator's attempt stays open and never commits. --step-delay sleeps after each step (for tests that signal mid-run).
/// </summary>
public sealed class CheckpointTrainScenario : IScenario
{
    private static readonly DataPlanSpec Plan = new(seed: 11, size: 600, globalBatch: 12);

    public string Name => "checkpoint-train";

    public int Run(string[] args)
    {
        var c = CultureInfo.InvariantCulture;
        var (outDir, steps, saveEvery) = (args[0], long.Parse(args[1], c), long.Parse(args[2], c));
        var kill = Array.IndexOf(args, "--kill");
        var (killRank, killAfter) = kill > 0 ? (int.Parse(args[kill + 1], c), long.Parse(args[kill + 2], c)) : (-1, -1L);
        var killInSave = Array.IndexOf(args, "--kill-in-save");
        var (killInSaveRank, killInSaveStep) = killInSave > 0 ? (int.Parse(args[killInSave + 1], c), long.Parse(args[killInSave + 2], c)) : (-1, -1L);
        var delay = Array.IndexOf(args, "--step-delay");
        var stepDelay = delay > 0 ? int.Parse(args[delay + 1], c) : 0;
        using var triggers = new CheckpointTriggers { EveryNSteps = (int)saveEvery };
        triggers.HandleSignals();
        var environment = LaunchEnvironment.FromEnvironment();
        var directory = Environment.GetEnvironmentVariable("DISTTRAIN_CHECKPOINT_DIR") ?? throw new CheckFailedException("check failed: DISTTRAIN_CHECKPOINT_DIR is not set");
        using var context = Worker.Init();
        var group = context.ProcessGroup;
        int rank = group.rank(), world = group.size();

        manual_seed(5);
        using var x = randn(Plan.Size, 8);
        using var y = randn(Plan.Size, 4);
        using var model = DdpModels.Mlp.Build(100);
        using var ddp = new DistributedDataParallel(model, group);
        using var optimizer = optim.Adam(ddp.parameters(), 0.01);
        using var coordinator = new CoordinatorClient(environment.Coordinator!.ToString(), environment.JobToken!);
        var options = new CheckpointOptions { Directory = directory };
        using var checkpoints = new CoordinatedCheckpointer(new Checkpointer(model, optimizer, options, rank, world), coordinator.Checkpoints, options, environment.StoreNamespace);
        var resumed = checkpoints.ResumeAsync().GetAwaiter().GetResult();
        using var plans = new DataPlanClient(coordinator, world, rank);
        var sampler = plans.SamplerAsync("train", Plan).GetAwaiter().GetResult();
        if (resumed?.Manifest.DataPlan is { } saved)
            sampler.Resume(new PlanPosition(saved.Epoch, saved.SamplesConsumed));

        var start = resumed?.Step ?? 0;
        File.WriteAllText(Path.Combine(outDir, $"pid-rank-{rank}.txt"), Environment.ProcessId.ToString(c));
        using var ids = new StreamWriter(Path.Combine(outDir, $"ids-rank-{rank}.txt"), append: true) { AutoFlush = true };
        ids.WriteLine($"resume {start}");
        for (var step = start; step < steps; step++)
        {
            using (NewDisposeScope())
            {
                var mine = sampler.StepIds(0);
                ids.WriteLine($"{step} {string.Join(',', mine)}");
                var global = sampler.GlobalSize(0);
                optimizer.zero_grad();
                using var index = tensor(mine);
                var loss = nn.functional.mse_loss(ddp.call(x.index_select(0, index)), y.index_select(0, index), nn.Reduction.Sum) * world / global;
                loss.backward();
                optimizer.step();
                sampler.Advance();
            }

            var done = step + 1;
            Thread.Sleep(stepDelay);
            var (due, signal, stop) = triggers.Decide(group, done, last: done == steps);
            if (due)
            {
                if (rank == killInSaveRank && done == killInSaveStep && environment.RestartCount == 0)
                    KillSelfOnceTheWriterStaged(directory, done);
                var position = sampler.Position;
                _ = checkpoints.SaveAsync(done, new CheckpointProgress
                {
                    Epoch = position.Epoch,
                    DataPlan = new DataPlanPosition(position.Epoch, position.Consumed, (long)Plan.Seed) { Dataset = "train" },
                });
                if (signal != 0)
                    Console.WriteLine($"rank {rank} saves step {done} on signal {signal}");
            }

            if (rank == killRank && done == killAfter && environment.RestartCount == 0)
                KillSelfOnceCommitted(coordinator, checkpoints, done / saveEvery * saveEvery);
            if (stop)
                break;
        }

        checkpoints.WaitAsync().GetAwaiter().GetResult();
        if (rank == 0)
            File.WriteAllBytes(Path.Combine(outDir, "weights.bin"), [.. model.state_dict().SelectMany(p => p.Value.contiguous().bytes.ToArray())]);
        Console.WriteLine($"ok: rank {rank} trained steps {start}..{steps} of a world of {world}");
        return 0;
    }

    // kill -9 of this worker inside the checkpoint of 'step', once the writer (rank 0) staged its model file.
    private static void KillSelfOnceTheWriterStaged(string root, long step)
    {
        Check.That(DistributedContext.Current!.Rank != 0, "--kill-in-save needs a rank other than 0: rank 0 writes the checkpoint");
        var prefix = ".staging-" + CheckpointLayout.DirectoryName(step) + "-";
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!Directory.EnumerateDirectories(root, prefix + "*").Any(d => File.Exists(Path.Combine(d, "model.safetensors"))))
        {
            Check.That(DateTime.UtcNow < deadline, $"rank 0 did not stage the checkpoint of step {step} within 60 s");
            Thread.Sleep(5);
        }

        Console.WriteLine($"killing myself with SIGKILL in the checkpoint of step {step}: rank 0 staged it, this rank has not reported");
        Console.Out.Flush();
        Process.GetCurrentProcess().Kill();
    }

    // kill -9 of this worker, once the checkpoint of step 'committed' is the coordinator's latest.
    private static void KillSelfOnceCommitted(CoordinatorClient coordinator, CoordinatedCheckpointer checkpoints, long committed)
    {
        checkpoints.WaitAsync().GetAwaiter().GetResult();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((coordinator.Checkpoints.LatestAsync().GetAwaiter().GetResult()?.Step ?? -1) < committed)
        {
            Check.That(DateTime.UtcNow < deadline, $"the checkpoint of step {committed} was not committed within 60 s");
            Thread.Sleep(20);
        }

        Console.WriteLine($"killing myself with SIGKILL after the checkpoint of step {committed}");
        Console.Out.Flush();
        Process.GetCurrentProcess().Kill();
    }
}
