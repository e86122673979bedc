using TorchSharp;

namespace DistTrain.Distributed.TestWorker;

/// <summary>What scenarios share: the context from the launcher's environment, with timeouts that suit tests.</summary>
public static class Worker
{
    /// <summary>The collective timeout scenarios use unless they test timeouts: generous, the test machine is loaded.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Initializes the distributed context from the environment (CPU, Gloo, one intra-op thread per rank)
    /// and prints which path sums take ("all_reduce transport: shared-memory" or "gloo") and why, so that
    /// tests see it.
    /// </summary>
    public static DistributedContext Init(TimeSpan? timeout = null) => Init(LaunchEnvironment.FromEnvironment(), timeout);

    /// <summary>As <see cref="Init(TimeSpan?)"/>, from <paramref name="environment"/>.</summary>
    public static DistributedContext Init(LaunchEnvironment environment, TimeSpan? timeout = null)
    {
        var context = DistributedContext.Initialize(environment, new DistributedOptions
        {
            Timeout = timeout ?? Timeout,
            StoreTimeout = TimeSpan.FromSeconds(60),
            IntraOpThreads = 1,
            Device = new torch.Device(DeviceType.CPU), // not torch.CPU: that would load TorchSharp before the context can say why it cannot
            Backend = Backend.Gloo,
        });
        Console.WriteLine($"all_reduce transport: {(context.ProcessGroup.UsesLocalAllReduce ? "shared-memory" : "gloo")}");
        Console.WriteLine($"local all-reduce: {context.ProcessGroup.LocalAllReduceStatus}");
        return context;
    }

    /// <summary>Prints the line, flushes, and ends the process with <paramref name="code"/> without the broken group's teardown.</summary>
    public static void ExitNow(int code)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        Environment.Exit(code);
    }
}
