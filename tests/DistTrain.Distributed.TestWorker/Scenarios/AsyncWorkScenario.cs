using System.Diagnostics;
using static TorchSharp.torch;

namespace DistTrain.Distributed.TestWorker.Scenarios;

/// <summary>
/// Async collectives: several in flight at once, each waited for through its work handle; the list forms
/// write their outputs when waited for; a wait with a timeout shorter than a late peer's delay says the
/// work is still pending, and a later wait completes it.
/// </summary>
public sealed class AsyncWorkScenario : IScenario
{
    private static readonly TimeSpan LateBy = TimeSpan.FromSeconds(1.5);

    public string Name => "async-work";

    public int Run(string[] args)
    {
        using var context = Worker.Init();
        var group = context.ProcessGroup;
        int n = group.size(), r = group.rank();
        using var scope = NewDisposeScope();

        var a = ones(4);
        var b = full([3], (float)r);
        var c = tensor(new[] { 7f * r });
        var gathered = Enumerable.Range(0, n).Select(_ => zeros(1)).ToList();
        var scattered = zeros(1);
        using var w1 = group.all_reduce_async(a);
        using var w2 = group.all_reduce_async(b, ReduceOp.MAX);
        using var w3 = group.broadcast_async(c, src: n - 1);
        using var w4 = group.all_gather_async(gathered, tensor(new[] { r + 0.5f }));
        using var w5 = group.reduce_scatter_async(scattered, Enumerable.Range(0, n).Select(j => tensor(new[] { 10f * j + r })).ToList());
        using var w6 = group.barrier_async();
        Check.That(w1.Collective == "all_reduce" && w3.Collective == "broadcast" && w6.Collective == "barrier", "each work names its collective");
        foreach (var w in new[] { w6, w5, w4, w3, w2, w1 }) w.wait();
        Check.That(new[] { w1, w2, w3, w4, w5, w6 }.All(w => w.is_completed()), "every waited work reports completed");
        w1.wait(); // waiting again after success returns at once and does not finish twice
        Check.Values(a, [n, n, n, n], "async all_reduce SUM");
        Check.Values(b, [n - 1, n - 1, n - 1], "async all_reduce MAX");
        Check.Values(c, [7.0 * (n - 1)], "async broadcast");
        for (var i = 0; i < n; i++) Check.Values(gathered[i], [i + 0.5], $"async all_gather slot {i}");
        Check.Values(scattered, [10.0 * r * n + n * (n - 1) / 2.0], "async reduce_scatter");

        var avg = full([2], r + 1f);
        using (var w = group.all_reduce_async(avg, ReduceOp.AVG))
        {
            w.wait();
            w.wait(); // the division happens once
        }
        Check.Values(avg, [(n + 1) / 2.0, (n + 1) / 2.0], "async all_reduce AVG divides once");

        // The last rank joins late: the others' short wait runs out while the all_reduce still runs.
        group.barrier();
        if (r == n - 1) Thread.Sleep(LateBy);
        var late = full([2], r + 1f);
        using (var w = group.all_reduce_async(late))
        {
            if (r != n - 1)
            {
                var clock = Stopwatch.StartNew();
                var e = Check.Throws<CollectiveTimeoutException>(() => w.wait(TimeSpan.FromMilliseconds(100)), "a 100 ms wait on an all_reduce a peer joins late");
                Console.WriteLine($"short wait: {e.Message}");
                Check.That(!w.is_completed(), "the all_reduce still runs after the short wait");
                Check.That(e.Timeout == TimeSpan.FromMilliseconds(100), $"the exception names the wait's timeout ({e.Timeout})");
                w.wait();
                Console.WriteLine($"ok: the work completed after its short wait ran out ({clock.Elapsed.TotalSeconds:0.0} s in all)");
            }
            else
            {
                w.wait();
            }
        }
        Check.Values(late, [n * (n + 1) / 2.0, n * (n + 1) / 2.0], "all_reduce SUM after a short wait ran out");
        return 0;
    }
}
