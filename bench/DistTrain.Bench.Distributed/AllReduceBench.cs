using System.Diagnostics;
using System.Globalization;
using DistTrain.Distributed;
using static TorchSharp.torch;

namespace DistTrain.Bench.Distributed;

/// <summary>
/// All-reduce bandwidth: <c>allreduce [elements] [iterations] [warmup] [private|shared]</c> (defaults
/// 10,000,000 floats, 20, 3, private), SUM over the default process group, of an ordinary tensor or of
/// one from <see cref="ProcessGroup.empty_shared"/>. Rank 0 prints one line in the format of
/// bench/distributed/allreduce_torch.py, so the two compare line by line.
/// </summary>
public sealed class AllReduceBench : IBenchMode
{
    public string Name => "allreduce";

    public int Run(string[] args)
    {
        var elements = args.Length > 0 ? long.Parse(args[0], CultureInfo.InvariantCulture) : 10_000_000;
        var iterations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
        var warmup = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
        var shared = args.Length > 3 && args[3] == "shared";

        using var context = DistributedContext.Initialize(new DistributedOptions { IntraOpThreads = 1 });
        var group = context.ProcessGroup;
        using var t = shared ? group.empty_shared([elements]).fill_(1) : ones(elements);
        var transport = !group.UsesLocalAllReduce ? "gloo" : shared && group.SharedBufferStatus.Length == 0 ? "shared-buffer" : "shared-memory";
        for (var i = 0; i < warmup; i++) group.all_reduce(t);

        var times = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            group.barrier();
            var clock = Stopwatch.StartNew();
            group.all_reduce(t);
            times[i] = clock.Elapsed.TotalSeconds;
        }

        if (context.IsMaster)
        {
            Array.Sort(times);
            var median = times[times.Length / 2];
            var bytes = elements * sizeof(float);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"disttrain allreduce: transport={transport} ranks={group.size()} elements={elements} iterations={iterations} median_ms={median * 1e3:0.00} best_ms={times[0] * 1e3:0.00} algbw_GBps={bytes / median / 1e9:0.000} busbw_GBps={bytes / median / 1e9 * 2 * (group.size() - 1) / group.size():0.000}"));
        }

        return 0;
    }
}
