using DistTrain.Protocol.Launch;

namespace DistTrain.Distributed;

/// <summary>
/// Who this worker is and how to reach the others, read from the environment the launcher sets
/// (the contract in <see cref="LaunchVariables"/>, read by <see cref="LaunchIdentityReader"/>). The
/// coordinator (DISTTRAIN_COORDINATOR, with DISTTRAIN_JOB_TOKEN and DISTTRAIN_STORE_NAMESPACE) must be
/// given: the process groups bootstrap through its store.
/// </summary>
public sealed record LaunchEnvironment
{
    /// <summary>RANK.</summary>
    public required int Rank { get; init; }

    /// <summary>LOCAL_RANK.</summary>
    public required int LocalRank { get; init; }

    /// <summary>WORLD_SIZE.</summary>
    public required int WorldSize { get; init; }

    /// <summary>LOCAL_WORLD_SIZE.</summary>
    public required int LocalWorldSize { get; init; }

    /// <summary>GROUP_RANK (0 when not set).</summary>
    public int GroupRank { get; init; }

    /// <summary>MASTER_ADDR, the host of the job's store (the coordinator's, as <c>disttrain run</c> sets it), or null.</summary>
    public string? MasterAddr { get; init; }

    /// <summary>MASTER_PORT, the port of the job's store (the coordinator's gRPC port), or null.</summary>
    public int? MasterPort { get; init; }

    /// <summary>DISTTRAIN_COORDINATOR, or null.</summary>
    public Uri? Coordinator { get; init; }

    /// <summary>DISTTRAIN_JOB_TOKEN (with a coordinator).</summary>
    public string? JobToken { get; init; }

    /// <summary>DISTTRAIN_STORE_NAMESPACE (with a coordinator).</summary>
    public string? StoreNamespace { get; init; }

    /// <summary>DISTTRAIN_RESTART_COUNT (0 when not set).</summary>
    public int RestartCount { get; init; }

    /// <summary>The agent that started this worker (<c>DISTTRAIN_AGENT_PID</c>), or null when it names none.</summary>
    public int? AgentPid { get; init; }

    /// <summary>The rendezvous round the worker was started for (<c>DISTTRAIN_ROUND</c>); 0 when unknown.</summary>
    public ulong Round { get; init; }

    /// <summary>The id its agent joined the rendezvous with (<c>DISTTRAIN_NODE_ID</c>), or null.</summary>
    public string? NodeId { get; init; }

    /// <summary>Whether the worker's telemetry is on (<c>DISTTRAIN_TELEMETRY</c>, default 1).</summary>
    public bool Telemetry { get; init; } = true;

    /// <summary>GLOO_SOCKET_IFNAME, or null.</summary>
    public string? GlooSocketInterface { get; init; }

    /// <summary>OMP_NUM_THREADS, or null.</summary>
    public int? OmpNumThreads { get; init; }

    /// <summary>DISTTRAIN_LOCAL_ALLREDUCE: false when it is 0 (true when not set).</summary>
    public bool LocalAllReduce { get; init; } = true;

    /// <summary>Reads the process's environment.</summary>
    /// <exception cref="LaunchEnvironmentException">A variable is missing or invalid.</exception>
    public static LaunchEnvironment FromEnvironment() => From(Environment.GetEnvironmentVariable);

    /// <summary>Reads the variables <paramref name="lookup"/> returns (null: not set).</summary>
    /// <exception cref="LaunchEnvironmentException">A variable is missing or invalid; the message names it and what to do.</exception>
    public static LaunchEnvironment From(Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        try
        {
            var identity = LaunchIdentityReader.Read(lookup);
            var variables = new LaunchVariableLookup(lookup);
            return new LaunchEnvironment
            {
                Rank = identity.Rank,
                WorldSize = identity.WorldSize,
                LocalRank = identity.LocalRank,
                LocalWorldSize = identity.LocalWorldSize,
                GroupRank = identity.GroupRank,
                MasterAddr = variables.Text(LaunchVariables.MasterAddr),
                MasterPort = variables.Integer(LaunchVariables.MasterPort, min: 1, max: 65535),
                Coordinator = identity.Coordinator,
                JobToken = identity.JobToken,
                StoreNamespace = identity.StoreNamespace,
                RestartCount = identity.RestartCount,
                AgentPid = identity.AgentPid,
                Round = identity.Round,
                NodeId = identity.NodeId,
                Telemetry = (variables.Integer(LaunchVariables.Telemetry, min: 0, max: 1) ?? 1) == 1,
                GlooSocketInterface = variables.Text(LaunchVariables.GlooSocketInterface),
                OmpNumThreads = variables.Integer(LaunchVariables.OmpNumThreads, min: 1),
                LocalAllReduce = (variables.Integer(LaunchVariables.LocalAllReduce, min: 0, max: 1) ?? 1) == 1,
            };
        }
        catch (LaunchVariableException e)
        {
            throw new LaunchEnvironmentException(e.Variable, e.Message, e);
        }
    }
}
