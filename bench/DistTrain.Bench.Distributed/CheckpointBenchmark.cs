using System.Globalization;
using DistTrain.Distributed;
using DistTrain.Examples;
using DistTrain.Parallel;
using DistTrain.Protocol.DataPlan;
using TorchSharp;
using static TorchSharp.torch;

namespace DistTrain.Bench.Distributed;

/// <summary>
/// DistTrain's side of bench/checkpoint/checkpoint_run.sh: one rank of a DDP run (SGD with momentum on a fixed
/// synthetic batch, as <see cref="DdpBenchmark"/>) that checkpoints through the coordinator as the examples do
/// (<see cref="TrainingCheckpoints"/>, under <c>disttrain run --checkpoint-dir</c>). --every N saves every N
/// steps; --every 0 runs the same per-step agreement but never saves; --no-checkpoints trains without
/// TrainingCheckpoints at all. Rank 0 prints "ms_per_step=… saves=… jit_ms=…" (median of the timed blocks, each
/// timed by the slowest rank; the JIT's compilation time in rank 0 during them). The warm-up is
/// --warmup-steps steps (by default every + 1: one save, so the timed blocks see no first-save costs; about 40
/// saves' worth lets the runtime's tiered compilation finish recompiling the save path, as in a long run).
/// </summary>
public sealed class CheckpointBenchmark : IBenchMode
{
    /// <inheritdoc />
    public string Name => "checkpoint";

    /// <summary>Runs one configuration; returns the exit code (2 for bad arguments).</summary>
    public int Run(string[] args)
    {
        string model = "cnn";
        int batch = 32, every = 50, steps = 200, blocks = 3, threads = 1, warmupSteps = -1;
        var withCheckpoints = true;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--model": model = args[++i]; break;
                case "--batch": batch = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--every": every = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--steps": steps = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--blocks": blocks = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--threads": threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--warmup-steps": warmupSteps = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--no-checkpoints": withCheckpoints = false; break;
                default:
                    Console.Error.WriteLine($"unknown argument '{args[i]}'; use --model {BenchModels.Names} [--batch N --every N --steps N --blocks N --threads N --warmup-steps N --no-checkpoints]");
                    return 2;
            }
        }

        set_num_threads(threads);
        using var context = DistributedContext.Initialize(new DistributedOptions { IntraOpThreads = threads });
        var group = context.ProcessGroup;
        manual_seed(0);
        using var net = BenchModels.Create(model);
        if (net is null)
        {
            Console.Error.WriteLine($"--model must be {BenchModels.Names}, not '{model}'");
            return 2;
        }

        using var ddp = new DistributedDataParallel(net, group);
        using var optimizer = optim.SGD(ddp.parameters(), 0.01, momentum: 0.9);
        using var criterion = nn.CrossEntropyLoss();
        var plan = new DataPlanSpec(seed: 1, size: 100_000_000, globalBatch: (long)batch * group.size());
        using var checkpoints = withCheckpoints ? TrainingCheckpoints.FromEnvironment(net, optimizer, context, plan, every) : null;
        if (withCheckpoints && checkpoints is null)
        {
            Console.Error.WriteLine("DISTTRAIN_CHECKPOINT_DIR is not set: run under `disttrain run --checkpoint-dir DIR`, or pass --no-checkpoints");
            return 2;
        }

        manual_seed(1 + group.rank());
        using var x = randn(batch, 1, 28, 28);
        using var y = randint(0, 10, [batch]);
        var saves = 0;

        void Step()
        {
            using (NewDisposeScope())
            {
                optimizer.zero_grad();
                criterion.call(ddp.call(x), y).backward();
                optimizer.step();
            }

            if (checkpoints is not null && every > 0 && (checkpoints.GlobalStep + 1) % every == 0)
                saves++;
            checkpoints?.Step(finalEpoch: false);
        }

        for (var i = 0; i < (warmupSteps >= 0 ? warmupSteps : Math.Max(10, every + 1)); i++)
            Step();
        checkpoints?.WaitForSave();
        saves = 0;
        var jitBefore = System.Runtime.JitInfo.GetCompilationTime();
        var perStep = TimedBlocks.MsPerStep(group, blocks, steps, Step);
        var jit = System.Runtime.JitInfo.GetCompilationTime() - jitBefore;

        if (group.rank() == 0)
        {
            var ms = TimedBlocks.Median(perStep);
            var state = net.parameters().Sum(p => p.numel()) * 4L * 2 / 1e6;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ms_per_step={ms:F4} saves={saves} jit_ms={jit.TotalMilliseconds:F0} state_mb={state:F1} blocks={string.Join('/', perStep.Select(p => p.ToString("F2", CultureInfo.InvariantCulture)))}"));
        }

        return 0;
    }
}
