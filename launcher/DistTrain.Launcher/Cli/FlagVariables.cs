namespace DistTrain.Launcher.Cli;

/// <summary>
/// The <c>DISTTRAIN_*</c> environment variables that stand in for <c>disttrain run</c>'s flags, as
/// torchrun's <c>PET_*</c> do: a flag given on the command line wins over its variable.
/// </summary>
public static class FlagVariables
{
    /// <summary><c>--nproc-per-node</c>.</summary>
    public const string NprocPerNode = "DISTTRAIN_NPROC_PER_NODE";

    /// <summary><c>--nnodes</c>.</summary>
    public const string Nnodes = "DISTTRAIN_NNODES";

    /// <summary><c>--node-rank</c>.</summary>
    public const string NodeRank = "DISTTRAIN_NODE_RANK";

    /// <summary><c>--rdzv-endpoint</c>.</summary>
    public const string RdzvEndpoint = "DISTTRAIN_RDZV_ENDPOINT";

    /// <summary><c>--rdzv-id</c>.</summary>
    public const string RdzvId = "DISTTRAIN_RDZV_ID";

    /// <summary><c>--standalone</c> (<c>1</c>, <c>true</c> or <c>yes</c>).</summary>
    public const string Standalone = "DISTTRAIN_STANDALONE";

    /// <summary><c>--max-restarts</c>.</summary>
    public const string MaxRestarts = "DISTTRAIN_MAX_RESTARTS";

    /// <summary><c>--monitor-interval</c>.</summary>
    public const string MonitorInterval = "DISTTRAIN_MONITOR_INTERVAL";

    /// <summary><c>--log-dir</c>.</summary>
    public const string LogDir = "DISTTRAIN_LOG_DIR";

    /// <summary><c>--tee</c>.</summary>
    public const string Tee = "DISTTRAIN_TEE";

    /// <summary><c>--token</c> (the same variable the standalone coordinator reads).</summary>
    public const string Token = "DISTTRAIN_TOKEN";

    /// <summary><c>--node-id</c>.</summary>
    public const string NodeId = "DISTTRAIN_NODE_ID";

    /// <summary><c>--local-addr</c>.</summary>
    public const string LocalAddr = "DISTTRAIN_LOCAL_ADDR";

    /// <summary><c>--grace-period</c>.</summary>
    public const string GracePeriod = "DISTTRAIN_GRACE_PERIOD";

    /// <summary><c>--last-call-timeout</c>.</summary>
    public const string LastCallTimeout = "DISTTRAIN_LAST_CALL_TIMEOUT";

    /// <summary><c>--rdzv-timeout</c>.</summary>
    public const string RdzvTimeout = "DISTTRAIN_RDZV_TIMEOUT";

    /// <summary><c>--heartbeat-interval</c>.</summary>
    public const string HeartbeatInterval = "DISTTRAIN_HEARTBEAT_INTERVAL";

    /// <summary><c>--coordinator</c> (<c>auto</c>, <c>host</c> or <c>connect</c>).</summary>
    public const string Coordinator = "DISTTRAIN_COORDINATOR_MODE";

    /// <summary><c>--progress</c> (<c>auto</c>, <c>on</c> or <c>off</c>).</summary>
    public const string Progress = "DISTTRAIN_PROGRESS";
}
