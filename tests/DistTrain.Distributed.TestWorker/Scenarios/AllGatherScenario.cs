using static TorchSharp.torch;

namespace DistTrain.Distributed.TestWorker.Scenarios;

/// <summary>all_gather into a list (output i holds rank i's [i, -i], also into transposed views) and into one tensor.</summary>
public sealed class AllGatherScenario : IScenario
{
    public string Name => "all-gather";

    public int Run(string[] args)
    {
        using var context = Worker.Init();
        var group = context.ProcessGroup;
        int n = group.size(), r = group.rank();
        using var scope = NewDisposeScope();

        var input = tensor(new[] { (float)r, -r });
        var outputs = Enumerable.Range(0, n).Select(_ => zeros(2)).ToList();
        group.all_gather(outputs, input);
        for (var i = 0; i < n; i++) Check.Values(outputs[i], [i, -i], $"all_gather list slot {i} on rank {r}");

        // The list's outputs are written by copy: views with gaps take the result too.
        var pattern = arange(12, dtype: ScalarType.Float32).reshape(3, 4);
        var slots = Enumerable.Range(0, n).Select(_ => zeros(3, 4)).ToList();
        group.all_gather(slots.Select(s => s.t()).ToList(), (pattern * (r + 1)).t().contiguous());
        for (var i = 0; i < n; i++) Check.That(Check.Same(slots[i], pattern * (i + 1)), $"all_gather into transposed view {i} on rank {r}");
        Console.WriteLine($"ok: all_gather into transposed views on rank {r}");

        var whole = full([n, 3], -1L, dtype: ScalarType.Int64);
        group.all_gather_into_tensor(whole, tensor(new[] { 100L * r, 100L * r + 1, 100L * r + 2 }));
        var expected = Enumerable.Range(0, n).SelectMany(i => new[] { 100.0 * i, 100.0 * i + 1, 100.0 * i + 2 }).ToArray();
        Check.Values(whole, expected, $"all_gather_into_tensor on rank {r}");
        return 0;
    }
}
