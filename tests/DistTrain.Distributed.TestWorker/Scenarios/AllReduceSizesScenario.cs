using static TorchSharp.torch;

namespace DistTrain.Distributed.TestWorker.Scenarios;

/// <summary>
/// all_reduce SUM of sizes the transports split differently (empty, fewer elements than ranks, uneven
/// shares, several shared-memory chunks) in each dtype training uses: rank r contributes
/// (i mod 1000)·(r + 1), so every sum is exact and every rank must end with exactly (i mod 1000)·n(n + 1)/2.
/// </summary>
public sealed class AllReduceSizesScenario : IScenario
{
    public static readonly long[] Sizes = [0, 1, 2, 7, 1_000_003, 3_000_001];

    public string Name => "all-reduce-sizes";

    public int Run(string[] args)
    {
        using var context = Worker.Init();
        var group = context.ProcessGroup;
        int n = group.size(), r = group.rank();
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64, ScalarType.Int32, ScalarType.Int64 })
        {
            foreach (var size in Sizes)
            {
                using var scope = NewDisposeScope();
                var pattern = arange(size, dtype: ScalarType.Int64).remainder(1000);
                var t = (pattern * (r + 1)).to(dtype);
                group.all_reduce(t);
                var expected = (pattern * (n * (n + 1) / 2)).to(dtype);
                Check.That(t.numel() == size && Check.Same(t, expected), $"all_reduce SUM of {size} {dtype} over {n} ranks is exact on rank {r}");
            }

            Console.WriteLine($"ok: all_reduce SUM exact for every size in {dtype}");
        }

        return 0;
    }
}
