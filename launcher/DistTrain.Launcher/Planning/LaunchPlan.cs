using DistTrain.Coordinator.Hosting;
using DistTrain.Launcher.Settings;
using DistTrain.Launcher.Workers;

namespace DistTrain.Launcher.Planning;

/// <summary>
/// Everything the agent needs, resolved from the settings, the environment and the preflight checks:
/// past this point nothing reads the raw settings.
/// </summary>
public sealed record LaunchPlan
{
    /// <summary>Where the agent runs, for the start-up log ("SLURM job 42, task 3 of 8 on n2").</summary>
    public required string Description { get; init; }

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

    /// <summary>The coordinator's endpoint, as agents and workers reach it; port 0 (a free one) until a hosted coordinator listens.</summary>
    public required Endpoint Coordinator { get; init; }

    /// <summary>Whether this agent hosts the coordinator; null: when the endpoint is this machine and its port is free.</summary>
    public bool? HostsCoordinator { get; init; }

    /// <summary>The address a hosted coordinator binds.</summary>
    public required string BindAddress { get; init; }

    /// <summary>The job's token.</summary>
    public required string Token { get; init; }

    /// <summary>The job's id.</summary>
    public required string RunId { get; init; }

    /// <summary>What each worker runs.</summary>
    public required WorkerProgram Program { get; init; }

    /// <summary>Where other nodes reach this one, or null: what the coordinator sees.</summary>
    public string? LocalAddr { get; init; }

    /// <summary>Restarts after failures before the job fails.</summary>
    public required int MaxRestarts { get; init; }

    /// <summary>How long a rank of this node named stuck may stay stuck before the agent restarts the workers (with restarts left); zero: at once.</summary>
    public TimeSpan StuckRestartAfter { get; init; }

    /// <summary>How often workers are checked and the progress line refreshed.</summary>
    public required TimeSpan MonitorInterval { get; init; }

    /// <summary>Where each rank's output is kept, or null.</summary>
    public string? LogDir { get; init; }

    /// <summary>The job's checkpoint directory (absolute), or null: no checkpoints. A hosted coordinator commits there; workers get it as <c>DISTTRAIN_CHECKPOINT_DIR</c>.</summary>
    public string? CheckpointDir { get; init; }

    /// <summary>How many committed checkpoints a hosted coordinator keeps (the newest).</summary>
    public int KeepCheckpoints { get; init; } = 3;

    /// <summary>Streams shown on the console: 0 none, 1 stdout, 2 stderr, 3 both.</summary>
    public required int Tee { get; init; }

    /// <summary>How long workers get between SIGTERM and SIGKILL.</summary>
    public required TimeSpan GracePeriod { get; init; }

    /// <summary>How long reaching the coordinator and joining a round may take.</summary>
    public required TimeSpan RdzvTimeout { get; init; }

    /// <summary>A hosted coordinator's last-call wait.</summary>
    public required TimeSpan LastCallTimeout { get; init; }

    /// <summary>A hosted coordinator's heartbeat interval.</summary>
    public required TimeSpan HeartbeatInterval { get; init; }
}
