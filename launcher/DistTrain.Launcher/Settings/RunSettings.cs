using DistTrain.Coordinator.Hosting;

namespace DistTrain.Launcher.Settings;

/// <summary>
/// The settings of <c>disttrain run</c> as given: each from its flag, else its <c>DISTTRAIN_*</c>
/// variable, else the default in <see cref="RunFlags"/> (the one place defaults are written). A null
/// value was not given and has no fixed default: planning fills it in from the environment.
/// </summary>
public sealed class RunSettings
{
    /// <summary>Workers per node; null: 1, or what the environment says (SLURM's one task per GPU).</summary>
    public NprocSpec? NprocPerNode { get; set; }

    /// <summary>Number of nodes; null: 1, or what the environment says.</summary>
    public NodeRange? Nnodes { get; set; }

    /// <summary>This node's rank; null: given by the environment or the coordinator.</summary>
    public int? NodeRank { get; set; }

    /// <summary>The coordinator's endpoint; null: the environment's, else 127.0.0.1:29400.</summary>
    public Endpoint? RdzvEndpoint { get; set; }

    /// <summary>The job id; null: the environment's (SLURM job id, Kubernetes job) or <c>none</c>.</summary>
    public string? RdzvId { get; set; }

    /// <summary>One node, with the coordinator embedded on a free loopback port.</summary>
    public bool Standalone { get; set; }

    /// <summary>How many times the workers are restarted after a failure before the job fails.</summary>
    public int MaxRestarts { get; set; }

    /// <summary>How long a rank named stuck may stay stuck before the agent restarts the workers (when restarts are left).</summary>
    public TimeSpan StuckRestartAfter { get; set; }

    /// <summary>How often the agent checks its workers and refreshes the progress line.</summary>
    public TimeSpan MonitorInterval { get; set; }

    /// <summary>Where each rank's output is kept; null: nowhere.</summary>
    public string? LogDir { get; set; }

    /// <summary>The job's checkpoint directory; null: no checkpoints.</summary>
    public string? CheckpointDir { get; set; }

    /// <summary>How many committed checkpoints a hosted coordinator keeps.</summary>
    public int KeepCheckpoints { get; set; }

    /// <summary>Which streams reach the console: 0 none, 1 stdout, 2 stderr, 3 both.</summary>
    public int Tee { get; set; }

    /// <summary>The job's token; null: generated with <see cref="Standalone"/>, required otherwise.</summary>
    public string? Token { get; set; }

    /// <summary>This node's id in the rendezvous; null: derived from the host name.</summary>
    public string? NodeId { get; set; }

    /// <summary>The address other nodes reach this one at; null: what the coordinator sees.</summary>
    public string? LocalAddr { get; set; }

    /// <summary>How long workers get between SIGTERM and SIGKILL.</summary>
    public TimeSpan GracePeriod { get; set; }

    /// <summary>How long a hosted coordinator's round waits for more nodes once it has the minimum.</summary>
    public TimeSpan LastCallTimeout { get; set; }

    /// <summary>How long joining a round may take (also how long the agent waits for the coordinator to come up).</summary>
    public TimeSpan RdzvTimeout { get; set; }

    /// <summary>A hosted coordinator's heartbeat interval.</summary>
    public TimeSpan HeartbeatInterval { get; set; }

    /// <summary>Who runs the coordinator.</summary>
    public CoordinatorMode Coordinator { get; set; }

    /// <summary>Whether the live progress line is shown.</summary>
    public ProgressMode Progress { get; set; }

    /// <summary>The program to run: a command, a <c>.dll</c>, or a project directory.</summary>
    public string Program { get; set; } = "";

    /// <summary>The program's arguments.</summary>
    public IReadOnlyList<string> ProgramArgs { get; set; } = [];
}
