using DistTrain.Coordinator.Hosting;
using DistTrain.Launcher.Settings;

namespace DistTrain.Launcher.Detection;

/// <summary>
/// What the environment says about this agent's place in the job. Null members mean "the environment
/// does not say" (the flags or the defaults decide).
/// </summary>
public sealed record DetectedEnvironment
{
    /// <summary>A sentence for the start-up log, for example "SLURM job 42, task 3 of 8 on n2 (one task per GPU)".</summary>
    public required string Description { get; init; }

    /// <summary>The number of nodes (agents) of the job.</summary>
    public NodeRange? Nnodes { get; init; }

    /// <summary>This agent's node rank.</summary>
    public int? NodeRank { get; init; }

    /// <summary>The coordinator's endpoint: the one given, else the environment's, else 127.0.0.1:29400.</summary>
    public required Endpoint Endpoint { get; init; }

    /// <summary>Whether this agent hosts the coordinator; null: decide by trying the endpoint's port when it is local.</summary>
    public bool? HostsCoordinator { get; init; }

    /// <summary>The job's id.</summary>
    public string? RdzvId { get; init; }

    /// <summary>This agent's node id; null: derived from the host name.</summary>
    public string? NodeId { get; init; }

    /// <summary>The host name to show in summaries.</summary>
    public required string HostName { get; init; }

    /// <summary>Workers this agent must run (SLURM's one task per GPU: 1); null: the flag decides.</summary>
    public int? RequiredNproc { get; init; }

    /// <summary>The <c>LOCAL_RANK</c> of this agent's first worker (SLURM's one task per GPU: <c>SLURM_LOCALID</c>).</summary>
    public int LocalRankOffset { get; init; }

    /// <summary>The <c>LOCAL_WORLD_SIZE</c> the workers see when it is not this agent's worker count (tasks on the node).</summary>
    public int? LocalWorldSize { get; init; }
}
