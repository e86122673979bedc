using System.Diagnostics;
using System.Globalization;
using static TorchSharp.torch;

namespace DistTrain.Distributed.TestWorker.Scenarios;

/// <summary>
/// The last rank skips an all_reduce (it stays alive and silent); the others must get a
/// CollectiveTimeoutException at the timeout (args[0] seconds), naming the collective, this rank, the
/// time waited and the silent rank. The silent rank leaves once they have reported.
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
            Worker.ExitNow(0); // the group is unusable now; do not wait for its teardown
        }

        using var t = ones(8);
        var clock = Stopwatch.StartNew();
        var e = Check.Throws<CollectiveTimeoutException>(() => group.all_reduce(t), "all_reduce with a silent peer");
        var waited = clock.Elapsed;
        Console.WriteLine($"exception: {e.Message}");
        Console.WriteLine(FormattableString.Invariant($"waited: {waited.TotalSeconds:0.000}"));
        Check.That(e.Collective == "all_reduce" && e.Rank == r && e.WorldSize == n && e.Timeout == timeout, "the exception names the collective, the rank, the size and the timeout");
        Check.That(waited >= timeout - TimeSpan.FromMilliseconds(100), $"it waited the timeout ({waited.TotalSeconds:0.000} s)");

        // The group is out of step now: the next collective fails at once instead of waiting again.
        clock.Restart();
        var next = Check.Throws<CollectiveException>(() => group.all_reduce(t), "an all_reduce after the timeout");
        Console.WriteLine($"next: {next.GetType().Name}: {next.Message}");
        Console.WriteLine(FormattableString.Invariant($"next failed after: {clock.Elapsed.TotalSeconds:0.000}"));
        context.Store.Set($"reported-{r}", "1");
        Worker.ExitNow(0);
        return 0;
    }
}
