using static TorchSharp.torch;

namespace DistTrain.Distributed.TestWorker.Scenarios;

/// <summary>
/// all_reduce with every op over every element type Gloo reduces: rank r contributes [r + 1, 2(r + 1)],
/// small integers, so every result is exact in every type (AVG on floating types only; an integer AVG
/// is refused before anything is sent).
/// </summary>
public sealed class AllReduceScenario : IScenario
{
    public static readonly ScalarType[] Types =
        [ScalarType.Float32, ScalarType.Float64, ScalarType.Int32, ScalarType.Int64, ScalarType.Float16, ScalarType.BFloat16, ScalarType.Byte];

    public string Name => "all-reduce";

    public int Run(string[] args)
    {
        using var context = Worker.Init();
        var group = context.ProcessGroup;
        int n = group.size(), r = group.rank();
        double sum = n * (n + 1) / 2.0, product = Enumerable.Range(1, n).Aggregate(1.0, (p, i) => p * i);
        var expected = new Dictionary<ReduceOp, double[]>
        {
            [ReduceOp.SUM] = [sum, 2 * sum],
            [ReduceOp.AVG] = [sum / n, 2 * sum / n],
            [ReduceOp.MAX] = [n, 2.0 * n],
            [ReduceOp.MIN] = [1, 2],
            [ReduceOp.PRODUCT] = [product, product * Math.Pow(2, n)],
        };
        foreach (var dtype in Types)
        {
            var floating = dtype is ScalarType.Float32 or ScalarType.Float64 or ScalarType.Float16 or ScalarType.BFloat16;
            foreach (var (op, values) in expected)
            {
                using var t = tensor(new[] { r + 1.0, 2.0 * (r + 1) }).to(dtype);
                if (op == ReduceOp.AVG && !floating)
                {
                    var e = Check.Throws<ArgumentException>(() => group.all_reduce(t, op), $"all_reduce AVG of {dtype}");
                    Check.That(e.Message.Contains("AVG needs a floating-point tensor", StringComparison.Ordinal), $"the refusal says why: {e.Message}");
                    Console.WriteLine($"ok: all_reduce AVG refused for {dtype}");
                    continue;
                }
                group.all_reduce(t, op);
                Check.That(t.dtype == dtype, $"all_reduce kept the element type {dtype}");
                Check.Values(t, values, $"all_reduce {op} of {dtype} over {n} ranks");
            }
        }
        return 0;
    }
}
