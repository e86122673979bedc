using DistTrain.Torch.Distributed;
using static DistTrain.Torch.torch;

namespace DistTrain.Distributed.TestWorker.Scenarios;

/// <summary>reduce_scatter: rank r's input j is [100 r + j, 1]; rank j receives the sum over r (and the average).</summary>
public sealed class ReduceScatterScenario : IScenario
{
    public string Name => "reduce-scatter";

    public int Run(string[] args)
    {
        using var context = Worker.Init();
        var group = context.ProcessGroup;
        int n = group.size(), r = group.rank();
        var sumOfRanks = 100f * n * (n - 1) / 2;
        foreach (var op in new[] { ReduceOp.SUM, ReduceOp.AVG })
        {
            var inputs = Enumerable.Range(0, n).Select(j => tensor(new[] { 100f * r + j, 1f })).ToList();
            using var output = zeros(2);
            group.reduce_scatter(output, inputs, op);
            float[] expected = op == ReduceOp.SUM ? [sumOfRanks + n * r, n] : [(sumOfRanks + n * r) / n, 1];
            Check.Values(output, expected, $"reduce_scatter {op} on rank {r} of {n}");
            inputs.ForEach(t => t.Dispose());
        }

        return 0;
    }
}
