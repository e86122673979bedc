namespace DistTrain.Protocol.Launch;

/// <summary>
/// Who a worker is in its job and round, and how it reaches the coordinator: what
/// <see cref="LaunchIdentityWriter"/> turns into the <see cref="VariableSource.Launcher"/> variables and
/// <see cref="LaunchIdentityReader"/> reads back.
/// </summary>
public sealed record LaunchIdentity
{
    /// <summary>The global rank, 0 to <see cref="WorldSize"/> - 1 (<c>RANK</c>).</summary>
    public required int Rank { get; init; }

    /// <summary>The rank on its node, 0 to <see cref="LocalWorldSize"/> - 1 (<c>LOCAL_RANK</c>).</summary>
    public required int LocalRank { get; init; }

    /// <summary>The number of workers in the job (<c>WORLD_SIZE</c>).</summary>
    public required int WorldSize { get; init; }

    /// <summary>The number of workers on its node (<c>LOCAL_WORLD_SIZE</c>).</summary>
    public required int LocalWorldSize { get; init; }

    /// <summary>Its node's rank among the nodes, 0 to <see cref="GroupWorldSize"/> - 1 (<c>GROUP_RANK</c>).</summary>
    public int GroupRank { get; init; }

    /// <summary>The number of nodes in the round (<c>GROUP_WORLD_SIZE</c>).</summary>
    public int GroupWorldSize { get; init; } = 1;

    /// <summary>The coordinator's address, <c>http://host:port</c> (<c>DISTTRAIN_COORDINATOR</c>; its host and port are also <c>MASTER_ADDR</c> and <c>MASTER_PORT</c>).</summary>
    public required Uri Coordinator { get; init; }

    /// <summary>The job's token for the coordinator (<c>DISTTRAIN_JOB_TOKEN</c>).</summary>
    public required string JobToken { get; init; }

    /// <summary>The round's key-value store namespace, the world's <c>store_namespace</c> (<c>DISTTRAIN_STORE_NAMESPACE</c>).</summary>
    public required string StoreNamespace { get; init; }

    /// <summary>The job's id (<c>DISTTRAIN_JOB_ID</c>, also <c>TORCHELASTIC_RUN_ID</c>), or null.</summary>
    public string? JobId { get; init; }

    /// <summary>The rendezvous round the worker was started for, from 1; 0 when unknown (<c>DISTTRAIN_ROUND</c>).</summary>
    public ulong Round { get; init; }

    /// <summary>The id its agent joined the rendezvous with (<c>DISTTRAIN_NODE_ID</c>), or null.</summary>
    public string? NodeId { get; init; }

    /// <summary>How many times the agent restarted its node's workers after a failure (<c>DISTTRAIN_RESTART_COUNT</c>, also <c>TORCHELASTIC_RESTART_COUNT</c>).</summary>
    public int RestartCount { get; init; }

    /// <summary>The most restarts the agent allows (<c>DISTTRAIN_MAX_RESTARTS</c>, also <c>TORCHELASTIC_MAX_RESTARTS</c>).</summary>
    public int MaxRestarts { get; init; }

    /// <summary>The job's checkpoint directory, absolute (<c>DISTTRAIN_CHECKPOINT_DIR</c>), or null: checkpoints are off.</summary>
    public string? CheckpointDir { get; init; }

    /// <summary>The process id of the agent that started the worker (<c>DISTTRAIN_AGENT_PID</c>), or null: the worker watches no agent.</summary>
    public int? AgentPid { get; init; }

    /// <summary>Where the worker writes its last words when it dies of an exception (<c>DISTTRAIN_ERROR_FILE</c>), or null: nowhere.</summary>
    public string? ErrorFile { get; init; }
}
