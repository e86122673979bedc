using System.Diagnostics;
using System.Globalization;
using DistTrain.Torch.Distributed;
using static DistTrain.Torch.torch;

namespace DistTrain.Distributed.TestWorker.Scenarios;

/// <summary>
/// The last rank goes away (<see cref="Leave"/>) while the others wait in an all_reduce with a long
/// timeout; they must fail with a CollectiveException (not a timeout) long before it, which the test reads.
/// </summary>
public abstract class PeerGoneScenario : IScenario
{
    public abstract string Name { get; }

    /// <summary>How the last rank goes away, once the others are inside the all_reduce.</summary>
    protected abstract void Leave(DistributedContext context);

    public int Run(string[] args)
    {
        using var context = Worker.Init(TimeSpan.FromSeconds(120));
        var group = context.ProcessGroup;
        int n = group.size(), r = group.rank();
        group.barrier();
        if (r == n - 1)
        {
            Thread.Sleep(TimeSpan.FromSeconds(1)); // the others are inside the all_reduce by now
            Leave(context);
            Console.Out.Flush();
            Environment.Exit(0);
        }

        using var t = ones(1000);
        var clock = Stopwatch.StartNew();
        var e = Check.Throws<CollectiveException>(() => group.all_reduce(t), $"all_reduce after {Name}");
        var waited = clock.Elapsed;
        Console.WriteLine($"exception: {e.GetType().Name}: {e.Message}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"waited: {waited.TotalSeconds:0.000}"));
        Check.That(e is not CollectiveTimeoutException, "a peer that went away is reported as a failure, not as a timeout");
        Check.That(e.Collective == "all_reduce" && e.Rank == r, "the exception names the collective and the rank");
        context.Store.Set($"reported-{r}", "1");
        Console.Out.Flush();
        Environment.Exit(0); // the group is broken; skip its teardown
        return 0;
    }
}

/// <summary>The last rank is killed (SIGKILL).</summary>
public sealed class PeerKilledScenario : PeerGoneScenario
{
    public override string Name => "peer-killed";

    protected override void Leave(DistributedContext context)
    {
        Console.WriteLine("killing myself");
        Console.Out.Flush();
        Process.GetCurrentProcess().Kill();
    }
}

/// <summary>The last rank closes its process group and stays alive until the others have reported.</summary>
public sealed class PeerLeftScenario : PeerGoneScenario
{
    public override string Name => "peer-left";

    protected override void Leave(DistributedContext context)
    {
        context.ProcessGroup.Dispose();
        Console.WriteLine("closed my process group and stayed alive");
        var others = Enumerable.Range(0, context.WorldSize - 1).Select(i => $"reported-{i}").ToList();
        context.Store.Wait(others, TimeSpan.FromSeconds(120));
    }
}
