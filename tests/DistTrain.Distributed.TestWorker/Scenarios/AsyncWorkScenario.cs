using DistTrain.Torch.Distributed;
using static DistTrain.Torch.torch;

namespace DistTrain.Distributed.TestWorker.Scenarios;

/// <summary>Async collectives: several in flight at once, each waited for through its work handle.</summary>
public sealed class AsyncWorkScenario : IScenario
{
    public string Name => "async-work";

    public int Run(string[] args)
    {
        using var context = Worker.Init();
        var group = context.ProcessGroup;
        int n = group.size(), r = group.rank();
        using var a = ones(4);
        using var b = full([3], (float)r);
        using var c = tensor(new[] { 7f * r });
        using var w1 = group.all_reduce_async(a);
        using var w2 = group.all_reduce_async(b, ReduceOp.MAX);
        using var w3 = group.broadcast_async(c, src: n - 1);
        using var w4 = group.barrier_async();
        foreach (var w in new[] { w4, w3, w2, w1 }) w.wait();
        Check.That(w1.is_completed() && w2.is_completed() && w3.is_completed() && w4.is_completed(), "every waited work reports completed");
        w1.wait(); // waiting again after success returns at once and does not finish twice
        Check.Values(a, [n, n, n, n], "async all_reduce SUM");
        Check.Values(b, [n - 1, n - 1, n - 1], "async all_reduce MAX");
        Check.Values(c, [7f * (n - 1)], "async broadcast");

        using var avg = full([2], r + 1f);
        using (var w = group.all_reduce_async(avg, ReduceOp.AVG))
        {
            w.wait();
            w.wait(); // the division happens once
        }

        Check.Values(avg, [(n + 1) / 2f, (n + 1) / 2f], "async all_reduce AVG divides once");
        return 0;
    }
}
