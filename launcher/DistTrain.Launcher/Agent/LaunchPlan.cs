using DistTrain.Coordinator.Hosting;
using DistTrain.Launcher.Cli;
using DistTrain.Launcher.Detection;
using DistTrain.Launcher.Workers;

namespace DistTrain.Launcher.Agent;

/// <summary>Everything the agent needs, resolved from the flags, the environment and the preflight checks.</summary>
public sealed record LaunchPlan
{
    /// <summary>The settings it came from (timeouts, log directory, tee).</summary>
    public required RunSettings Settings { get; init; }

    /// <summary>Where the agent runs.</summary>
    public required DetectedEnvironment Environment { get; init; }

    /// <summary>This node's id in the rendezvous.</summary>
    public required string NodeId { get; init; }

    /// <summary>This node's host name, for reports.</summary>
    public required string HostName { get; init; }

    /// <summary>The number of nodes.</summary>
    public required NodeRange Nnodes { get; init; }

    /// <summary>The node rank asked for (checked against the coordinator's), or null.</summary>
    public int? NodeRank { get; init; }

    /// <summary>Workers this agent runs.</summary>
    public required int Nproc { get; init; }

    /// <summary>The <c>LOCAL_RANK</c> of the first worker.</summary>
    public int LocalRankOffset { get; init; }

    /// <summary>The <c>LOCAL_WORLD_SIZE</c> workers see.</summary>
    public required int LocalWorldSize { get; init; }

    /// <summary>The GPU of each worker (by index among this agent's workers), or null for CPU workers.</summary>
    public IReadOnlyList<string>? Gpus { get; init; }

    /// <summary>The coordinator's endpoint; for standalone, filled in once the embedded coordinator listens.</summary>
    public required Endpoint Endpoint { get; init; }

    /// <summary>Whether this agent hosts the coordinator; null: when the endpoint is local and its port free.</summary>
    public bool? HostsCoordinator { get; init; }

    /// <summary>The address a hosted coordinator binds.</summary>
    public required string BindAddress { get; init; }

    /// <summary>The job's token.</summary>
    public required string Token { get; init; }

    /// <summary>The job's id.</summary>
    public required string RunId { get; init; }

    /// <summary>What each worker runs.</summary>
    public required WorkerProgram Program { get; init; }
}
