using System.Diagnostics;
using System.Globalization;
using static TorchSharp.torch;

namespace DistTrain.Distributed.TestWorker.Scenarios;

/// <summary>
/// The last rank goes away (<see cref="Leave"/>) while the others wait in an all_reduce with a long
/// timeout (120 s); they must fail with a CollectivePeerLostException long before it, which the test reads.
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
        using var warmUp = ones(1000);
        group.all_reduce(warmUp); // the transport has carried one sum: the failure comes mid-training, not at the first call
        group.barrier();
        if (r == n - 1)
        {
            Thread.Sleep(TimeSpan.FromSeconds(1)); // the others are inside the all_reduce by now
            Leave(context);
            Worker.ExitNow(0);
        }

        using var t = ones(1000);
        var clock = Stopwatch.StartNew();
        var e = Check.Throws<CollectivePeerLostException>(() => group.all_reduce(t), $"all_reduce after {Name}");
        var waited = clock.Elapsed;
        Console.WriteLine($"exception: {e.GetType().Name}: {e.Message}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"waited: {waited.TotalSeconds:0.000}"));
        Check.That(e.Collective == "all_reduce" && e.Rank == r && e.WorldSize == n, "the exception names the collective, the rank and the size");
        context.Store.Set($"reported-{r}", "1");
        Worker.ExitNow(0); // the group is broken; skip its teardown
        return 0;
    }
}

/// <summary>The last rank is killed (SIGKILL, as kill -9).</summary>
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

/// <summary>The last rank disposes its process group and stays alive until the others have reported.</summary>
public sealed class PeerLeftScenario : PeerGoneScenario
{
    public override string Name => "peer-left";

    protected override void Leave(DistributedContext context)
    {
        context.ProcessGroup.Dispose();
        Console.WriteLine("disposed my process group and stayed alive");
        var others = Enumerable.Range(0, context.WorldSize - 1).Select(i => $"reported-{i}").ToList();
        context.Store.Wait(others, TimeSpan.FromSeconds(120));
    }
}
