using DistTrain.Torch.Distributed;
using static DistTrain.Torch.torch;

namespace DistTrain.Distributed.TestWorker.Scenarios;

/// <summary>all_reduce with every op: rank r contributes [r + 1, 2(r + 1)].</summary>
public sealed class AllReduceScenario : IScenario
{
    public string Name => "all-reduce";

    public int Run(string[] args)
    {
        using var context = Worker.Init();
        var group = context.ProcessGroup;
        int n = group.size(), r = group.rank();
        float sum = n * (n + 1) / 2f, product = Enumerable.Range(1, n).Aggregate(1f, (p, i) => p * i);
        Tensor Mine() => tensor(new[] { r + 1f, 2f * (r + 1) });

        var expected = new Dictionary<ReduceOp, float[]>
        {
            [ReduceOp.SUM] = [sum, 2 * sum],
            [ReduceOp.AVG] = [sum / n, 2 * sum / n],
            [ReduceOp.MAX] = [n, 2f * n],
            [ReduceOp.MIN] = [1, 2],
            [ReduceOp.PRODUCT] = [product, product * MathF.Pow(2, n)],
        };
        foreach (var (op, values) in expected)
        {
            using var t = Mine();
            group.all_reduce(t, op);
            Check.Values(t, values, $"all_reduce {op} over {n} ranks");
        }

        return 0;
    }
}
