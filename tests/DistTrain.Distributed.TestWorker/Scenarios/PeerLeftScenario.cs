using System.Diagnostics;
using System.Globalization;
using DistTrain.Torch.Distributed;
using static DistTrain.Torch.torch;

namespace DistTrain.Distributed.TestWorker.Scenarios;

/// <summary>
/// The last rank closes its process group (its process stays alive) while the others wait in an
/// all_reduce with a long timeout: they must fail at once, saying that rank left, not at the timeout.
/// </summary>
public sealed class PeerLeftScenario : IScenario
{
    public string Name => "peer-left";

    public int Run(string[] args)
    {
        using var context = Worker.Init(TimeSpan.FromSeconds(120));
        var group = context.ProcessGroup;
        int n = group.size(), r = group.rank();
        group.barrier();
        if (r == n - 1)
        {
            Thread.Sleep(TimeSpan.FromSeconds(1)); // the others are inside the all_reduce by now
            group.Dispose();
            Console.WriteLine("closed my process group and stayed alive");
            context.Store.Wait(Enumerable.Range(0, n - 1).Select(i => $"reported-{i}").ToList(), TimeSpan.FromSeconds(120));
            Console.Out.Flush();
            Environment.Exit(0);
        }

        using var t = ones(1000);
        var clock = Stopwatch.StartNew();
        var e = Check.Throws<CollectiveException>(() => group.all_reduce(t), "all_reduce with a peer that closed its group");
        var waited = clock.Elapsed;
        Console.WriteLine($"exception: {e.GetType().Name}: {e.Message}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"waited: {waited.TotalSeconds:0.000}"));
        Check.That(e is not CollectiveTimeoutException, "a peer that left is reported as a failure, not as a timeout");
        context.Store.Set($"reported-{r}", "1");
        Console.Out.Flush();
        Environment.Exit(0); // the group is broken; skip its teardown
        return 0;
    }
}
