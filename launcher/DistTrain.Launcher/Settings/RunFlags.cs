using DistTrain.Coordinator;
using DistTrain.Coordinator.Hosting;

namespace DistTrain.Launcher.Settings;

/// <summary>
/// Every flag of <c>disttrain run</c>, with its variable, default and help: <c>disttrain run --help</c>
/// is built from this table and <see cref="RunSettingsParser"/> reads it, so a flag cannot exist in one
/// and not the other; the launcher's README is checked against it.
/// </summary>
public static class RunFlags
{
    /// <summary><c>--token</c>: shared with <c>disttrain status</c> and the coordinator (the same variable).</summary>
    public static readonly Flag<RunSettings> Token = new(
        "--token", null, CoordinatorCommand.TokenVariable, "TOKEN", null, "made up with --standalone; required otherwise",
        $"The job's token ({CoordinatorOptions.MinTokenLength}+ characters) for coordinator calls, the same on every node.",
        (s, t) => s.Token = ValueRules.Token(t));

    /// <summary><c>--rdzv-endpoint</c>: shared with <c>disttrain status</c>.</summary>
    public static readonly Flag<RunSettings> RdzvEndpoint = new(
        "--rdzv-endpoint", "--rdzv_endpoint", "DISTTRAIN_RDZV_ENDPOINT", "HOST:PORT", null, "127.0.0.1:29400; SLURM: the first host, port 29400",
        "The coordinator.",
        (s, t) => s.RdzvEndpoint = ValueRules.Endpoint(t));

    /// <summary><c>--standalone</c>.</summary>
    public static readonly Flag<RunSettings> Standalone = new(
        "--standalone", null, "DISTTRAIN_STANDALONE", null, "false", "off",
        "One node, with the coordinator embedded on a free loopback port and a fresh token.",
        (s, t) => s.Standalone = ValueRules.Switch(t));

    /// <summary>The flags in the order help lists them.</summary>
    public static IReadOnlyList<Flag<RunSettings>> All { get; } =
    [
        new("--nproc-per-node", "--nproc_per_node", "DISTTRAIN_NPROC_PER_NODE", "N|gpu|cpu|auto", null, "1; SLURM with one task per GPU: 1 per task",
            "Workers on this node: a number, one per GPU, one per CPU core, or GPUs if any else cores.",
            (s, t) => s.NprocPerNode = ValueRules.Nproc(t)),
        new("--nnodes", null, "DISTTRAIN_NNODES", "N|MIN:MAX", null, "1; SLURM: the allocation's nodes or tasks",
            "Number of nodes, or a range for an elastic job.",
            (s, t) => s.Nnodes = ValueRules.Nodes(t)),
        new("--node-rank", "--node_rank", "DISTTRAIN_NODE_RANK", "RANK", null, "assigned by the coordinator; SLURM and Kubernetes give it",
            "This node's rank.",
            (s, t) => s.NodeRank = ValueRules.Integer(t, 0, 1_000_000, "a node rank (0 or more)")),
        RdzvEndpoint,
        new("--rdzv-id", "--rdzv_id", "DISTTRAIN_RDZV_ID", "ID", null, "SLURM's job id, the Kubernetes job, or none",
            "The job's id, shown in logs and given to workers.",
            (s, t) => s.RdzvId = ValueRules.Text(t, 128)),
        Standalone,
        new("--max-restarts", "--max_restarts", "DISTTRAIN_MAX_RESTARTS", "N", "0", null,
            "Times the node's workers are restarted after a failure, or after the coordinator names one of them stuck, before the job fails (membership changes do not count).",
            (s, t) => s.MaxRestarts = ValueRules.Integer(t, 0, 1_000_000, "a number of restarts (0 or more)")),
        new("--stuck-restart-after", null, "DISTTRAIN_STUCK_RESTART_AFTER", "SECONDS", "60", null,
            "How long a rank of this node that the coordinator names stuck may stay stuck before the agent restarts the workers with it as the root cause (a restart: it needs --max-restarts; 0: at once).",
            (s, t) => s.StuckRestartAfter = ValueRules.Seconds(t, 0, 86400)),
        new("--monitor-interval", "--monitor_interval", "DISTTRAIN_MONITOR_INTERVAL", "SECONDS", "0.5", null,
            "How often workers are checked and the progress line refreshed.",
            (s, t) => s.MonitorInterval = ValueRules.Seconds(t, 0.01, 60)),
        new("--log-dir", "--log_dir", "DISTTRAIN_LOG_DIR", "DIR", null, "none: output is not kept",
            "Keep each rank's stdout and stderr in DIR/RDZV_ID/attempt_N/rank_R/ (N counts the starts of this node's workers, from 0).",
            (s, t) => s.LogDir = t),
        new("--checkpoint-dir", "--checkpoint_dir", "DISTTRAIN_CHECKPOINT_DIR", "DIR", null, "none: no checkpoints",
            "The job's checkpoint directory (shared storage across nodes): a hosted coordinator commits checkpoints there and recovers from it at start; workers get it as DISTTRAIN_CHECKPOINT_DIR and resume from its latest checkpoint.",
            (s, t) => s.CheckpointDir = t),
        new("--keep-checkpoints", null, "DISTTRAIN_KEEP_CHECKPOINTS", "K", "3", null,
            "When this agent hosts the coordinator: the committed checkpoints kept in --checkpoint-dir (the newest K; older ones are removed after each commit).",
            (s, t) => s.KeepCheckpoints = ValueRules.Integer(t, 1, 1_000_000, "a number of checkpoints (1 or more)")),
        new("--tee", null, "DISTTRAIN_TEE", "0|1|2|3", "3", null,
            "Streams shown on the console, prefixed with the rank: 0 none, 1 stdout, 2 stderr, 3 both.",
            (s, t) => s.Tee = ValueRules.Integer(t, 0, 3, "0 (no stream), 1 (stdout), 2 (stderr) or 3 (both)")),
        Token,
        new("--node-id", null, "DISTTRAIN_NODE_ID", "ID", null, "from the host name (and node rank)",
            "This node's id in the rendezvous.",
            (s, t) => s.NodeId = ValueRules.Text(t, 256)),
        new("--local-addr", "--local_addr", "DISTTRAIN_LOCAL_ADDR", "HOST", null, "the address the coordinator sees",
            "Where other nodes reach this one.",
            (s, t) => s.LocalAddr = t),
        new("--grace-period", null, "DISTTRAIN_GRACE_PERIOD", "SECONDS", "10", null,
            "Time workers get between SIGTERM and SIGKILL when they are stopped.",
            (s, t) => s.GracePeriod = ValueRules.Seconds(t, 0, 3600)),
        new("--rdzv-timeout", null, "DISTTRAIN_RDZV_TIMEOUT", "SECONDS", "600", null,
            "How long reaching the coordinator and joining a round may take.",
            (s, t) => s.RdzvTimeout = ValueRules.Seconds(t, 1, 86_400)),
        new("--last-call-timeout", null, "DISTTRAIN_LAST_CALL_TIMEOUT", "SECONDS", "30", null,
            "When this agent hosts the coordinator: how long a round waits for more nodes once it has MIN.",
            (s, t) => s.LastCallTimeout = ValueRules.Seconds(t, 0, 3600)),
        new("--heartbeat-interval", null, "DISTTRAIN_HEARTBEAT_INTERVAL", "SECONDS", "5", null,
            "When this agent hosts the coordinator: seconds between heartbeats (3 missed: dead).",
            (s, t) => s.HeartbeatInterval = ValueRules.Seconds(t, 0.1, 600)),
        new("--coordinator", null, "DISTTRAIN_COORDINATOR_MODE", "auto|host|connect", "auto", null,
            "Whether this agent hosts the coordinator at --rdzv-endpoint; auto: SLURM task 0, the pod the endpoint names, or a local endpoint whose port is free.",
            (s, t) => s.Coordinator = ValueRules.Choice<CoordinatorMode>(t)),
        new("--progress", null, "DISTTRAIN_PROGRESS", "auto|on|off", "auto", null,
            "The live progress line; auto: when stdout is a terminal.",
            (s, t) => s.Progress = ValueRules.Choice<ProgressMode>(t)),
    ];
}
