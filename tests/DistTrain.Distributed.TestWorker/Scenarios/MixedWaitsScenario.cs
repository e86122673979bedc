using static TorchSharp.torch;

namespace DistTrain.Distributed.TestWorker.Scenarios;

/// <summary>
/// Synchronous collectives between asynchronous ones still in flight: a caller that waits may run the
/// next collective itself (shared memory, or a group of one), so this checks that every result is
/// still that of the collectives in the order they were issued, whichever thread ran them, and that
/// an average divides exactly once on that path too.
/// </summary>
public sealed class MixedWaitsScenario : IScenario
{
    private const int Rounds = 20;

    public string Name => "mixed-waits";

    public int Run(string[] args)
    {
        using var context = Worker.Init();
        var group = context.ProcessGroup;
        int n = group.size(), r = group.rank();
        using var scope = NewDisposeScope();

        var pending = new List<(Work Work, Tensor Tensor, double Expected)>();
        var running = full([1000], 1f);
        for (var i = 0; i < Rounds; i++)
        {
            var async = full([1000], (float)(r + i));
            pending.Add((group.all_reduce_async(async), async, n * i + n * (n - 1) / 2.0));
            group.all_reduce(running, ReduceOp.AVG);
            var gathered = Enumerable.Range(0, n).Select(_ => zeros(1)).ToList();
            if (i % 5 == 0) group.all_gather(gathered, tensor(new[] { (float)(r * 100 + i) }));
            for (var k = 0; i % 5 == 0 && k < n; k++) Check.Values(gathered[k], [k * 100 + i], $"all_gather of round {i}, slot {k}");
        }
        foreach (var (work, t, expected) in Enumerable.Reverse(pending))
        {
            work.wait();
            Check.Values(t, Enumerable.Repeat(expected, (int)t.numel()).ToArray(), "an async all_reduce waited for after later synchronous ones");
        }
        Check.Values(running, Enumerable.Repeat(1.0, 1000).ToArray(), "twenty synchronous averages of equal values leave them unchanged");
        // Over several shared-memory chunks, each rank divides only its share of each chunk.
        var large = full([3_000_001], r + 1f);
        group.all_reduce(large, ReduceOp.AVG);
        Check.That(large.eq((n + 1) / 2f).all().item<bool>(), $"every element of a 3,000,001-element average is {(n + 1) / 2f}");
        group.barrier();
        var sum = full([5], r + 1f);
        group.all_reduce(sum);
        Check.Values(sum, Enumerable.Repeat(n * (n + 1) / 2.0, 5).ToArray(), "a synchronous all_reduce SUM after a barrier");
        Console.WriteLine($"ok: mixed synchronous and asynchronous collectives over {n} ranks");
        return 0;
    }
}
