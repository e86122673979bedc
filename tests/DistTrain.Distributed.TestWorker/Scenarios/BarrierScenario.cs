using System.Diagnostics;

namespace DistTrain.Distributed.TestWorker.Scenarios;

/// <summary>barrier: the last rank arrives 1.5 s late; nobody leaves the barrier before it arrived.</summary>
public sealed class BarrierScenario : IScenario
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(1.5);

    public string Name => "barrier";

    public int Run(string[] args)
    {
        using var context = Worker.Init();
        var group = context.ProcessGroup;
        int n = group.size(), r = group.rank();
        group.barrier(); // everyone is up: the clock below measures only the late rank
        var clock = Stopwatch.StartNew();
        if (r == n - 1) Thread.Sleep(Delay);
        group.barrier();
        var waited = clock.Elapsed;
        // The late rank's own sleep counts too; the others must have waited for it (minus scheduling slack).
        Check.That(waited >= Delay - TimeSpan.FromMilliseconds(300), $"rank {r} left the barrier after {waited.TotalSeconds:0.000} s, before the late rank arrived ({Delay.TotalSeconds} s)");
        Console.WriteLine($"ok: barrier held rank {r} for {waited.TotalSeconds:0.000} s");
        return 0;
    }
}
