using static TorchSharp.torch;

namespace DistTrain.Distributed.TestWorker.Scenarios;

/// <summary>
/// reduce_scatter, from a list and from one tensor: rank r's input block j is [100 r + j, 1]; rank j
/// receives the sum over r (and the average, and the maximum).
/// </summary>
public sealed class ReduceScatterScenario : IScenario
{
    public string Name => "reduce-scatter";

    public int Run(string[] args)
    {
        using var context = Worker.Init();
        var group = context.ProcessGroup;
        int n = group.size(), r = group.rank();
        var sumOfRanks = 100.0 * n * (n - 1) / 2;
        foreach (var op in new[] { ReduceOp.SUM, ReduceOp.AVG, ReduceOp.MAX })
        {
            using var scope = NewDisposeScope();
            double[] expected = op switch
            {
                ReduceOp.SUM => [sumOfRanks + n * r, n],
                ReduceOp.AVG => [(sumOfRanks + n * r) / n, 1],
                _ => [100.0 * (n - 1) + r, 1],
            };

            var inputs = Enumerable.Range(0, n).Select(j => tensor(new[] { 100f * r + j, 1f })).ToList();
            var output = zeros(2);
            group.reduce_scatter(output, inputs, op);
            Check.Values(output, expected, $"reduce_scatter {op} from a list on rank {r} of {n}");

            var flat = cat(inputs.ToArray());
            var block = zeros(2);
            group.reduce_scatter_tensor(block, flat, op);
            Check.Values(block, expected, $"reduce_scatter_tensor {op} on rank {r} of {n}");
        }

        return 0;
    }
}
