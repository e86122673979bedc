using DistTrain.Coordinator.Hosting;

namespace DistTrain.Launcher.Cli;

/// <summary>What <c>--nproc-per-node</c> asks for.</summary>
public enum NprocKind
{
    /// <summary>A fixed number of workers.</summary>
    Count,

    /// <summary>One worker per visible GPU (an error when there is none).</summary>
    Gpu,

    /// <summary>One worker per CPU core.</summary>
    Cpu,

    /// <summary>One per GPU when there are GPUs, otherwise one per CPU core.</summary>
    Auto,
}

/// <summary><c>--nproc-per-node</c>: <c>N</c>, <c>gpu</c>, <c>cpu</c> or <c>auto</c>.</summary>
/// <param name="Kind">What was asked.</param>
/// <param name="Count">The number when <paramref name="Kind"/> is <see cref="NprocKind.Count"/>.</param>
public readonly record struct NprocSpec(NprocKind Kind, int Count)
{
    /// <inheritdoc />
    public override string ToString() => Kind == NprocKind.Count ? Count.ToString(System.Globalization.CultureInfo.InvariantCulture) : Kind.ToString().ToLowerInvariant();
}

/// <summary>Who runs the coordinator when this agent is not <c>--standalone</c>.</summary>
public enum CoordinatorMode
{
    /// <summary>This agent hosts it when the environment says so (SLURM task 0, the pod the endpoint names, a local endpoint whose port is free); otherwise it connects.</summary>
    Auto,

    /// <summary>This agent hosts it on the endpoint's port.</summary>
    Host,

    /// <summary>Another process hosts it; this agent connects.</summary>
    Connect,
}

/// <summary>Whether the live progress line is shown.</summary>
public enum ProgressMode
{
    /// <summary>Shown when standard output is a terminal.</summary>
    Auto,

    /// <summary>Always shown.</summary>
    On,

    /// <summary>Never shown.</summary>
    Off,
}

/// <summary>A <c>host:port</c> pair (<c>--rdzv-endpoint</c>).</summary>
/// <param name="Host">Host name or address.</param>
/// <param name="Port">TCP port.</param>
public readonly record struct Endpoint(string Host, int Port)
{
    /// <summary>The coordinator's address as a gRPC client needs it.</summary>
    public string ToUri() => $"http://{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port}";

    /// <inheritdoc />
    public override string ToString() => $"{Host}:{Port}";
}

/// <summary>
/// The settings of <c>disttrain run</c>, from its flags, else their <c>DISTTRAIN_*</c> variables,
/// else the defaults below. Unset (null) values are filled in by environment detection.
/// </summary>
public sealed class RunSettings
{
    /// <summary>The coordinator's default port, as torchrun's.</summary>
    public const int DefaultPort = 29400;

    /// <summary>Workers per node; null: 1, or what the environment says (SLURM's one task per GPU).</summary>
    public NprocSpec? NprocPerNode { get; set; }

    /// <summary>Number of nodes; null: 1, or what the environment says.</summary>
    public NodeRange? Nnodes { get; set; }

    /// <summary>This node's rank; null: given by the coordinator.</summary>
    public int? NodeRank { get; set; }

    /// <summary>The coordinator's endpoint; null with <see cref="Standalone"/> or when the environment gives it.</summary>
    public Endpoint? RdzvEndpoint { get; set; }

    /// <summary>The job id; null: the environment's (SLURM job id) or <c>none</c>.</summary>
    public string? RdzvId { get; set; }

    /// <summary>One node, with the coordinator embedded on a free loopback port.</summary>
    public bool Standalone { get; set; }

    /// <summary>How many times the workers are restarted after a failure before the job fails.</summary>
    public int MaxRestarts { get; set; }

    /// <summary>How often the agent checks its workers and refreshes the progress line.</summary>
    public TimeSpan MonitorInterval { get; set; } = TimeSpan.FromSeconds(0.5);

    /// <summary>Where each rank's output is kept; null: nowhere.</summary>
    public string? LogDir { get; set; }

    /// <summary>Which streams reach the console: 0 none, 1 stdout, 2 stderr, 3 both.</summary>
    public int Tee { get; set; } = 3;

    /// <summary>The job's token; generated for <see cref="Standalone"/>.</summary>
    public string? Token { get; set; }

    /// <summary>This node's id in the rendezvous; null: derived from the host name.</summary>
    public string? NodeId { get; set; }

    /// <summary>The address other nodes reach this one at; null: what the coordinator sees.</summary>
    public string? LocalAddr { get; set; }

    /// <summary>How long workers get between SIGTERM and SIGKILL.</summary>
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a hosted coordinator's round waits for more nodes once it has the minimum.</summary>
    public TimeSpan LastCallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long joining a round may take (also how long a client waits for the coordinator to come up).</summary>
    public TimeSpan RdzvTimeout { get; set; } = TimeSpan.FromSeconds(600);

    /// <summary>A hosted coordinator's heartbeat interval.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Who runs the coordinator.</summary>
    public CoordinatorMode Coordinator { get; set; } = CoordinatorMode.Auto;

    /// <summary>Whether the live progress line is shown.</summary>
    public ProgressMode Progress { get; set; } = ProgressMode.Auto;

    /// <summary>The program to run: a command, a <c>.dll</c>, or a project directory.</summary>
    public string Program { get; set; } = "";

    /// <summary>The program's arguments.</summary>
    public IReadOnlyList<string> ProgramArgs { get; set; } = [];
}
