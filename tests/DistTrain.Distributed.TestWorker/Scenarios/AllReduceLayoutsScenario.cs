using DistTrain.Torch;
using static DistTrain.Torch.torch;

namespace DistTrain.Distributed.TestWorker.Scenarios;

/// <summary>
/// Even ranks pass a transposed (non-contiguous) view, odd ranks a contiguous tensor of the same shape:
/// every rank must take the same path and end with the sum, written through the view into its base.
/// Then broadcast and all_gather write into transposed views.
/// </summary>
public sealed class AllReduceLayoutsScenario : IScenario
{
    public string Name => "all-reduce-layouts";

    public int Run(string[] args)
    {
        using var context = Worker.Init();
        var group = context.ProcessGroup;
        int n = group.size(), r = group.rank();
        using var pattern = arange(12, dtype: ScalarType.Float32).reshape(3, 4);
        using var basis = pattern * (r + 1);
        using var t = r % 2 == 0 ? basis.t() : basis.t().contiguous();
        Check.That(t.is_contiguous() == (r % 2 == 1), "even ranks pass a view, odd ranks a contiguous tensor");
        group.all_reduce(t);
        using var expected = pattern * (n * (n + 1) / 2);
        Check.That(t.equal(expected.t()), $"all_reduce SUM of a 4x3 tensor on rank {r}");
        if (r % 2 == 0) Check.That(basis.equal(expected), "the sum reached the view's base");
        Console.WriteLine($"ok: all_reduce SUM with mixed layouts on rank {r}");

        using var mine = pattern * (r + 1);
        using var view = mine.t();
        group.broadcast(view, src: n - 1);
        Check.That(mine.equal(pattern * n), $"broadcast into a transposed view on rank {r}");
        Console.WriteLine($"ok: broadcast into a transposed view on rank {r}");

        var slots = Enumerable.Range(0, n).Select(i => zeros(3, 4)).ToList();
        var views = slots.Select(s => s.t()).ToList();
        group.all_gather(views, (pattern * (r + 1)).t());
        for (var i = 0; i < n; i++) Check.That(slots[i].equal(pattern * (i + 1)), $"all_gather slot {i} through a transposed view on rank {r}");
        Console.WriteLine($"ok: all_gather into transposed views on rank {r}");
        return 0;
    }
}
