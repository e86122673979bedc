using static TorchSharp.torch;

namespace DistTrain.Distributed.TestWorker.Scenarios;

/// <summary>
/// Every rank passes a transposed (non-contiguous) view to each collective that moves a tensor's memory:
/// each call is refused at once with an ArgumentException naming the collective and the rank, nothing is
/// sent, and the group stays usable (an all_reduce afterwards is right).
/// </summary>
public sealed class NonContiguousScenario : IScenario
{
    public string Name => "non-contiguous";

    public int Run(string[] args)
    {
        using var context = Worker.Init();
        var group = context.ProcessGroup;
        int n = group.size(), r = group.rank();
        using var scope = NewDisposeScope();
        var view = ones(3, 4).t();
        Check.That(!view.is_contiguous(), "a transposed view is not contiguous");

        var calls = new (string Collective, Action Call)[]
        {
            ("all_reduce", () => group.all_reduce(view)),
            ("all_reduce", () => group.all_reduce_async(view).Dispose()),
            ("broadcast", () => group.broadcast(view, 0)),
            ("all_gather", () => group.all_gather_into_tensor(zeros(n * 12), view)),
            ("all_gather", () => group.all_gather_into_tensor(zeros(4 * n, 3).t(), ones(12))),
            ("reduce_scatter", () => group.reduce_scatter_tensor(ones(4, 3).t(), ones(12 * n))),
        };
        foreach (var (collective, call) in calls)
        {
            var e = Check.Throws<ArgumentException>(call, $"{collective} of a non-contiguous tensor");
            Console.WriteLine($"refused: {e.Message}");
            Check.That(e.Message.StartsWith($"{collective} on rank {r} of {n}", StringComparison.Ordinal) && e.Message.Contains("not contiguous", StringComparison.Ordinal),
                $"the refusal names {collective}, rank {r} and the cause: {e.Message}");
        }
        Console.WriteLine($"ok: every collective refused a non-contiguous tensor on rank {r}");

        var t = full([2], r + 1f);
        group.all_reduce(t);
        Check.Values(t, [n * (n + 1) / 2.0, n * (n + 1) / 2.0], $"all_reduce after the refusals on rank {r}");
        return 0;
    }
}
