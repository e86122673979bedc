using DistTrain.Distributed;

namespace DistTrain.Distributed.TestWorker;

/// <summary>What scenarios share: the context from the launcher's environment, with timeouts that suit tests.</summary>
public static class Worker
{
    /// <summary>The collective timeout scenarios use unless they test timeouts: generous, the test machine is loaded.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Initializes the distributed context from the environment (one intra-op thread per rank).</summary>
    public static DistributedContext Init(TimeSpan? timeout = null) =>
        DistributedContext.Initialize(new DistributedOptions { Timeout = timeout ?? Timeout, StoreTimeout = TimeSpan.FromSeconds(60), IntraOpThreads = 1 });
}
