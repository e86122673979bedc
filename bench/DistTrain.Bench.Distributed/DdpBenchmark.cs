using System.Diagnostics;
using System.Globalization;
using DistTrain.Distributed;
using DistTrain.Examples;
using DistTrain.Parallel;
using TorchSharp;
using static TorchSharp.torch;

namespace DistTrain.Bench.Distributed;

/// <summary>
/// DistTrain's side of bench/distributed/ddp_run.sh: one rank of a data-parallel training run, started with
/// torchrun's environment. Trains the examples' MNIST MLP or CNN with SGD (lr 0.01, momentum 0.9) and
/// cross-entropy on a fixed synthetic batch per rank, exactly as bench/distributed/ddp_pytorch.py does, and
/// rank 0 prints "ms_per_step=… samples_per_s=…" (median of the timed blocks, each timed by the slowest rank).
/// --mode ddp: DistributedDataParallel steps; compute: the same steps without DDP; comm: only an all-reduce of
/// a gradient-sized tensor.
/// </summary>
public sealed class DdpBenchmark : IBenchMode
{
    /// <inheritdoc />
    public string Name => "ddp";

    /// <summary>Runs one configuration; returns the exit code (2 for bad arguments).</summary>
    public int Run(string[] args)
    {
        string model = "mlp", mode = "ddp";
        int batch = 16, warmup = 10, steps = 50, blocks = 3, threads = 1;
        double warmupSeconds = 1.0;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--model": model = args[++i]; break;
                case "--mode": mode = args[++i]; break;
                case "--batch": batch = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--warmup": warmup = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--warmup-seconds": warmupSeconds = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--steps": steps = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--blocks": blocks = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--threads": threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default:
                    Console.Error.WriteLine($"unknown argument '{args[i]}'; use --model {BenchModels.Names} --batch N [--mode ddp|compute|comm --warmup N --warmup-seconds S --steps N --blocks N --threads N]");
                    return 2;
            }
        }
        manual_seed(0);
        using var net = BenchModels.Create(model);
        if (net is null || mode is not ("ddp" or "compute" or "comm"))
        {
            Console.Error.WriteLine($"--model must be {BenchModels.Names} (not '{model}'), --mode ddp, compute or comm (not '{mode}')");
            return 2;
        }

        set_num_threads(threads);
        using var context = DistributedContext.Initialize(new DistributedOptions { IntraOpThreads = threads });
        var group = context.ProcessGroup;
        using var ddp = mode == "ddp" ? new DistributedDataParallel(net, group) : null;
        nn.Module<Tensor, Tensor> trained = ddp is null ? net : ddp;
        using var optimizer = optim.SGD(trained.parameters(), 0.01, momentum: 0.9);
        using var criterion = nn.CrossEntropyLoss();
        manual_seed(1 + group.rank());
        using var x = randn(batch, 1, 28, 28);
        using var y = randint(0, 10, [batch]);
        using var flat = zeros(net.parameters().Sum(p => p.numel()));

        void Step()
        {
            if (mode == "comm")
            {
                group.all_reduce(flat);
                return;
            }
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            criterion.call(trained.call(x), y).backward();
            optimizer.step();
        }

        // At least `warmup` steps and `warmupSeconds` on every rank (.NET's tiered JIT finishes in the
        // background during the first ~second); the ranks agree when to stop, so they run the same steps.
        var warming = Stopwatch.StartNew();
        for (var i = 0; ; i++)
        {
            Step();
            if (i + 1 < warmup) continue;
            using var warmedFor = tensor(new[] { warming.Elapsed.TotalSeconds });
            group.all_reduce(warmedFor, ReduceOp.MIN);
            if (warmedFor.item<double>() >= warmupSeconds) break;
        }
        var perStep = TimedBlocks.MsPerStep(group, blocks, steps, Step);
        if (group.rank() == 0)
        {
            var ms = TimedBlocks.Median(perStep);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ms_per_step={ms:F4} samples_per_s={batch * group.size() * 1000 / ms:F1} transport={(group.UsesLocalAllReduce ? "shared-memory" : "gloo")}"));
        }
        return 0;
    }
}
