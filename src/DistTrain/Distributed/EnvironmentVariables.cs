namespace DistTrain.Distributed;

/// <summary>
/// The environment the launcher (<c>disttrain run</c>) gives every worker: torchrun's names plus
/// DistTrain's own. docs/ENVIRONMENT.md describes each.
/// </summary>
public static class EnvironmentVariables
{
    /// <summary>The worker's global rank, 0 to WORLD_SIZE - 1.</summary>
    public const string Rank = "RANK";

    /// <summary>The worker's rank on its node, 0 to LOCAL_WORLD_SIZE - 1; also its GPU index.</summary>
    public const string LocalRank = "LOCAL_RANK";

    /// <summary>The number of workers in the job.</summary>
    public const string WorldSize = "WORLD_SIZE";

    /// <summary>The number of workers on this node.</summary>
    public const string LocalWorldSize = "LOCAL_WORLD_SIZE";

    /// <summary>The node's rank among nodes.</summary>
    public const string GroupRank = "GROUP_RANK";

    /// <summary>The host of rank 0 (torchrun's variable; DistTrain's workers bootstrap through the coordinator instead).</summary>
    public const string MasterAddr = "MASTER_ADDR";

    /// <summary>torchrun's store port on MASTER_ADDR (set for programs that read it; DistTrain's workers do not).</summary>
    public const string MasterPort = "MASTER_PORT";

    /// <summary>The coordinator's address, <c>http://host:port</c>.</summary>
    public const string Coordinator = "DISTTRAIN_COORDINATOR";

    /// <summary>The job's token for the coordinator.</summary>
    public const string JobToken = "DISTTRAIN_JOB_TOKEN";

    /// <summary>The coordinator store namespace of the rendezvous round the worker was started for (the world's <c>store_namespace</c>).</summary>
    public const string StoreNamespace = "DISTTRAIN_STORE_NAMESPACE";

    /// <summary>How many times the agent has restarted the worker group (0 at first start), as torchrun's TORCHELASTIC_RESTART_COUNT.</summary>
    public const string RestartCount = "DISTTRAIN_RESTART_COUNT";

    /// <summary>Gloo's network interface (PyTorch's name); optional.</summary>
    public const string GlooSocketInterface = "GLOO_SOCKET_IFNAME";

    /// <summary>Intra-op threads per worker (OpenMP's name); optional, overrides the even split of the cores.</summary>
    public const string OmpNumThreads = "OMP_NUM_THREADS";

    /// <summary><c>0</c> turns off the shared-memory all-reduce among ranks on one host (Gloo then does every sum); optional, default <c>1</c>.</summary>
    public const string LocalAllReduce = "DISTTRAIN_LOCAL_ALLREDUCE";
}
