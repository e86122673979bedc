namespace DistTrain.Launcher.Workers;

/// <summary>
/// The environment every worker receives: torchrun's names, then DistTrain's own. The worker side
/// (<c>DistTrain</c>'s distributed context) reads exactly these.
/// </summary>
public static class WorkerVariables
{
    /// <summary>The worker's global rank, 0 to <see cref="WorldSize"/> - 1.</summary>
    public const string Rank = "RANK";

    /// <summary>The worker's rank on its node.</summary>
    public const string LocalRank = "LOCAL_RANK";

    /// <summary>The number of workers in the job.</summary>
    public const string WorldSize = "WORLD_SIZE";

    /// <summary>The number of workers on this node.</summary>
    public const string LocalWorldSize = "LOCAL_WORLD_SIZE";

    /// <summary>The node's rank among nodes.</summary>
    public const string GroupRank = "GROUP_RANK";

    /// <summary>The number of nodes in the round.</summary>
    public const string GroupWorldSize = "GROUP_WORLD_SIZE";

    /// <summary>torchrun's role rank (equal to <see cref="Rank"/>: one role).</summary>
    public const string RoleRank = "ROLE_RANK";

    /// <summary>torchrun's role world size (equal to <see cref="WorldSize"/>).</summary>
    public const string RoleWorldSize = "ROLE_WORLD_SIZE";

    /// <summary>The host of the store that bootstraps the process group (the coordinator's).</summary>
    public const string MasterAddr = "MASTER_ADDR";

    /// <summary>The port of that store.</summary>
    public const string MasterPort = "MASTER_PORT";

    /// <summary>The coordinator's address, <c>http://host:port</c>.</summary>
    public const string Coordinator = "DISTTRAIN_COORDINATOR";

    /// <summary>The job's token for coordinator calls.</summary>
    public const string JobToken = "DISTTRAIN_JOB_TOKEN";

    /// <summary>The job's id (<c>--rdzv-id</c>).</summary>
    public const string JobId = "DISTTRAIN_JOB_ID";

    /// <summary>How many times this node's workers were restarted after a failure (0 at first).</summary>
    public const string RestartCount = "DISTTRAIN_RESTART_COUNT";

    /// <summary>The most restarts allowed (<c>--max-restarts</c>).</summary>
    public const string MaxRestarts = "DISTTRAIN_MAX_RESTARTS";

    /// <summary>The rendezvous round these workers belong to.</summary>
    public const string Round = "DISTTRAIN_ROUND";

    /// <summary>The round's key-value store namespace (pass it in every store call).</summary>
    public const string StoreNamespace = "DISTTRAIN_STORE_NAMESPACE";

    /// <summary>torchrun's restart counter, for programs written for torchrun.</summary>
    public const string TorchElasticRestartCount = "TORCHELASTIC_RESTART_COUNT";

    /// <summary>torchrun's maximum restarts.</summary>
    public const string TorchElasticMaxRestarts = "TORCHELASTIC_MAX_RESTARTS";

    /// <summary>torchrun's run id.</summary>
    public const string TorchElasticRunId = "TORCHELASTIC_RUN_ID";

    /// <summary>The one GPU a worker sees.</summary>
    public const string CudaVisibleDevices = "CUDA_VISIBLE_DEVICES";

    /// <summary>OpenMP threads per worker; set (to cores / local workers, at least 1) only when the user did not.</summary>
    public const string OmpNumThreads = "OMP_NUM_THREADS";
}
