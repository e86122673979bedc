using System.Diagnostics;
using System.Globalization;
using DistTrain.Torch.Distributed;
using static DistTrain.Torch.torch;

namespace DistTrain.Distributed.TestWorker.Scenarios;

/// <summary>
/// The last rank skips an all_reduce (it stays alive and silent); the others must get a
/// CollectiveTimeoutException within the timeout (args[0] seconds) plus slack, naming the
/// collective, the rank and the time waited. The silent rank leaves once they have reported.
/// </summary>
public sealed class CollectiveTimeoutScenario : IScenario
{
    public string Name => "collective-timeout";

    public int Run(string[] args)
    {
        var timeout = TimeSpan.FromSeconds(double.Parse(args[0], CultureInfo.InvariantCulture));
        using var context = Worker.Init(timeout);
        var group = context.ProcessGroup;
        int n = group.size(), r = group.rank();
        group.barrier(Worker.Timeout);
        if (r == n - 1)
        {
            context.Store.Wait(Enumerable.Range(0, n - 1).Select(i => $"reported-{i}").ToList(), TimeSpan.FromSeconds(120));
            Console.WriteLine("ok: skipped the all_reduce and stayed silent until the others reported");
            Environment.Exit(0); // the group is unusable now; do not wait for its teardown
        }

        using var t = ones(8);
        var clock = Stopwatch.StartNew();
        var e = Check.Throws<CollectiveTimeoutException>(() => group.all_reduce(t), "all_reduce with a silent peer");
        var waited = clock.Elapsed;
        Console.WriteLine($"exception: {e.Message}");
        Console.WriteLine(FormattableString.Invariant($"waited: {waited.TotalSeconds:0.000}"));
        Check.That(e.Collective == "all_reduce" && e.Rank == r && e.WorldSize == n, "the exception names the collective, the rank and the size");
        Check.That(e.Message.Contains("all_reduce", StringComparison.Ordinal) && e.Message.Contains($"rank {r}", StringComparison.Ordinal)
                   && e.Message.Contains("after waiting", StringComparison.Ordinal), "the message says which collective, which rank and how long it waited");
        Check.That(waited >= timeout - TimeSpan.FromMilliseconds(100), $"it waited the timeout ({waited.TotalSeconds:0.000} s)");
        context.Store.Set($"reported-{r}", "1");
        Console.Out.Flush();
        Environment.Exit(0);
        return 0;
    }
}
