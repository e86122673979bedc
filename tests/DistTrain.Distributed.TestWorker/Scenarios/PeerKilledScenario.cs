using System.Diagnostics;
using System.Globalization;
using DistTrain.Torch.Distributed;
using static DistTrain.Torch.torch;

namespace DistTrain.Distributed.TestWorker.Scenarios;

/// <summary>
/// The last rank is killed (SIGKILL) while the others wait in an all_reduce with a long timeout;
/// they must fail with a CollectiveException (not a timeout) that says a peer closed its connection.
/// </summary>
public sealed class PeerKilledScenario : IScenario
{
    public string Name => "peer-killed";

    public int Run(string[] args)
    {
        using var context = Worker.Init(TimeSpan.FromSeconds(120));
        var group = context.ProcessGroup;
        int n = group.size(), r = group.rank();
        group.barrier();
        if (r == n - 1)
        {
            Thread.Sleep(TimeSpan.FromSeconds(1)); // the others are inside the all_reduce by now
            Console.WriteLine("killing myself");
            Console.Out.Flush();
            Process.GetCurrentProcess().Kill();
        }

        using var t = ones(1000);
        var clock = Stopwatch.StartNew();
        var e = Check.Throws<CollectiveException>(() => group.all_reduce(t), "all_reduce with a killed peer");
        var waited = clock.Elapsed;
        Console.WriteLine($"exception: {e.GetType().Name}: {e.Message}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"waited: {waited.TotalSeconds:0.000}"));
        Check.That(e is not CollectiveTimeoutException, "a dead peer is reported as a failure, not as a timeout");
        Check.That(e.Collective == "all_reduce" && e.Rank == r, "the exception names the collective and the rank");
        Console.Out.Flush();
        Environment.Exit(0); // the group is broken; skip its teardown
        return 0;
    }
}
