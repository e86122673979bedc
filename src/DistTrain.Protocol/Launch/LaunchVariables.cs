using static DistTrain.Protocol.Launch.RuntimeUse;
using static DistTrain.Protocol.Launch.VariableSource;

namespace DistTrain.Protocol.Launch;

/// <summary>
/// The worker environment's contract: every variable a worker's environment may hold for DistTrain,
/// torchrun's names where the idea is the same and DistTrain's own. The launcher writes the
/// <see cref="VariableSource.Launcher"/> ones (<see cref="LaunchIdentityWriter"/>), the runtime reads
/// them (<see cref="LaunchIdentityReader"/>, <see cref="LaunchVariableLookup"/>), and docs/ENVIRONMENT.md's
/// table is checked against <see cref="All"/>.
/// </summary>
public static class LaunchVariables
{
    /// <summary><c>RANK</c>.</summary>
    public static LaunchVariable Rank { get; } = new("RANK", Launcher, Required, null,
        "the worker's global rank, `0` … `WORLD_SIZE - 1`");

    /// <summary><c>LOCAL_RANK</c>.</summary>
    public static LaunchVariable LocalRank { get; } = new("LOCAL_RANK", Launcher, Optional, "`RANK`",
        "the worker's rank on its node, `0` … `LOCAL_WORLD_SIZE - 1`; also the index of its GPU when the worker sees several");

    /// <summary><c>WORLD_SIZE</c>.</summary>
    public static LaunchVariable WorldSize { get; } = new("WORLD_SIZE", Launcher, Required, null,
        "the number of workers in the job (all nodes)");

    /// <summary><c>LOCAL_WORLD_SIZE</c>.</summary>
    public static LaunchVariable LocalWorldSize { get; } = new("LOCAL_WORLD_SIZE", Launcher, Optional, "`WORLD_SIZE`",
        "the number of workers on this node; the node's CPU cores are split among them");

    /// <summary><c>GROUP_RANK</c>.</summary>
    public static LaunchVariable GroupRank { get; } = new("GROUP_RANK", Launcher, Optional, "`0`",
        "the node's rank among the nodes of the round, `0` … `GROUP_WORLD_SIZE - 1`");

    /// <summary><c>GROUP_WORLD_SIZE</c>.</summary>
    public static LaunchVariable GroupWorldSize { get; } = new("GROUP_WORLD_SIZE", Launcher, Optional, "`1`",
        "the number of nodes in the round");

    /// <summary><c>ROLE_RANK</c>.</summary>
    public static LaunchVariable RoleRank { get; } = new("ROLE_RANK", Launcher, NotRead, null,
        "torchrun's rank among the workers of one role; DistTrain's workers have one role, so it equals `RANK`");

    /// <summary><c>ROLE_WORLD_SIZE</c>.</summary>
    public static LaunchVariable RoleWorldSize { get; } = new("ROLE_WORLD_SIZE", Launcher, NotRead, null,
        "torchrun's number of workers of one role; equals `WORLD_SIZE`");

    /// <summary><c>MASTER_ADDR</c>.</summary>
    public static LaunchVariable MasterAddr { get; } = new("MASTER_ADDR", Launcher, Optional, null,
        "the host of the job's store, which the process groups bootstrap through: in DistTrain the coordinator's host " +
        "(the coordinator speaks gRPC, not c10d's TCPStore protocol)");

    /// <summary><c>MASTER_PORT</c>.</summary>
    public static LaunchVariable MasterPort { get; } = new("MASTER_PORT", Launcher, Optional, null,
        "the port of the job's store: the coordinator's gRPC port");

    /// <summary><c>DISTTRAIN_COORDINATOR</c>.</summary>
    public static LaunchVariable Coordinator { get; } = new("DISTTRAIN_COORDINATOR", Launcher, Required, null,
        "the coordinator's address, `http://host:port` (`host:port` is read as http), the same host and port as `MASTER_ADDR` and `MASTER_PORT`");

    /// <summary><c>DISTTRAIN_JOB_TOKEN</c>.</summary>
    public static LaunchVariable JobToken { get; } = new("DISTTRAIN_JOB_TOKEN", Launcher, Required, null,
        "the job's token, sent as `authorization: Bearer …` on every call to the coordinator");

    /// <summary><c>DISTTRAIN_STORE_NAMESPACE</c>.</summary>
    public static LaunchVariable StoreNamespace { get; } = new("DISTTRAIN_STORE_NAMESPACE", Launcher, Required, null,
        "the store namespace of the rendezvous round the worker was started for: the `store_namespace` of the round's `World` (for example `round-3`)");

    /// <summary><c>DISTTRAIN_JOB_ID</c>.</summary>
    public static LaunchVariable JobId { get; } = new("DISTTRAIN_JOB_ID", Launcher, Optional, null,
        "the job's id (`--rdzv-id`; `none` when the launcher was given none)");

    /// <summary><c>DISTTRAIN_ROUND</c>.</summary>
    public static LaunchVariable Round { get; } = new("DISTTRAIN_ROUND", Launcher, Optional, "`0`",
        "the rendezvous round the worker was started for (the first round is `1`)");

    /// <summary><c>DISTTRAIN_NODE_ID</c>.</summary>
    public static LaunchVariable NodeId { get; } = new("DISTTRAIN_NODE_ID", Launcher, Optional, "none",
        "the id its agent joined the rendezvous with (`--node-id`; the host name and pid by default): telemetry names the rank's node by it");

    /// <summary><c>DISTTRAIN_RESTART_COUNT</c>.</summary>
    public static LaunchVariable RestartCount { get; } = new("DISTTRAIN_RESTART_COUNT", Launcher, Optional, "`0`",
        "how many times the agent restarted this node's workers after a failure (a membership change is not a restart)");

    /// <summary><c>DISTTRAIN_MAX_RESTARTS</c>.</summary>
    public static LaunchVariable MaxRestarts { get; } = new("DISTTRAIN_MAX_RESTARTS", Launcher, Optional, "`0`",
        "the most restarts the agent allows (`--max-restarts`)");

    /// <summary><c>DISTTRAIN_CHECKPOINT_DIR</c>.</summary>
    public static LaunchVariable CheckpointDir { get; } = new("DISTTRAIN_CHECKPOINT_DIR", Launcher, Optional, "none: checkpoints are off",
        "the job's checkpoint directory (`--checkpoint-dir`, an absolute path; shared storage across nodes): workers write into the staging directories the coordinator hands out there and resume from the latest checkpoint it names");

    /// <summary><c>DISTTRAIN_AGENT_PID</c>.</summary>
    public static LaunchVariable AgentPid { get; } = new("DISTTRAIN_AGENT_PID", Launcher, Optional, "none: the worker watches no agent",
        "the process id of the agent (`disttrain run`) that started the worker, on the worker's host: a worker that finds it gone stops itself and its process group, so an agent killed with SIGKILL leaves no worker training on without it");

    /// <summary><c>DISTTRAIN_ERROR_FILE</c>.</summary>
    public static LaunchVariable ErrorFile { get; } = new("DISTTRAIN_ERROR_FILE", Launcher, Optional, "none: no error file",
        "where the worker writes its last words (exception, stack, last step and collective, as JSON) when it dies of an exception; `disttrain run` sets one per worker, `error.json` in its log folder (`--log-dir`) or under the temporary folder, and shows it in the run's summary");

    /// <summary><c>TORCHELASTIC_RESTART_COUNT</c>.</summary>
    public static LaunchVariable TorchElasticRestartCount { get; } = new("TORCHELASTIC_RESTART_COUNT", Launcher, NotRead, null,
        "torchrun's name for `DISTTRAIN_RESTART_COUNT`");

    /// <summary><c>TORCHELASTIC_MAX_RESTARTS</c>.</summary>
    public static LaunchVariable TorchElasticMaxRestarts { get; } = new("TORCHELASTIC_MAX_RESTARTS", Launcher, NotRead, null,
        "torchrun's name for `DISTTRAIN_MAX_RESTARTS`");

    /// <summary><c>TORCHELASTIC_RUN_ID</c>.</summary>
    public static LaunchVariable TorchElasticRunId { get; } = new("TORCHELASTIC_RUN_ID", Launcher, NotRead, null,
        "torchrun's name for `DISTTRAIN_JOB_ID`");

    /// <summary><c>CUDA_VISIBLE_DEVICES</c>.</summary>
    public static LaunchVariable CudaVisibleDevices { get; } = new("CUDA_VISIBLE_DEVICES", User, NotRead, null,
        "the GPUs a process sees (CUDA's variable); `disttrain run` gives each worker one of those the agent sees, which the worker then sees as `cuda:0`");

    /// <summary><c>OMP_NUM_THREADS</c>.</summary>
    public static LaunchVariable OmpNumThreads { get; } = new("OMP_NUM_THREADS", User, Optional, "the node's cores / `LOCAL_WORLD_SIZE`, at least 1",
        "intra-op threads per worker (`torch.set_num_threads`; LibTorch's MKL and OpenMP follow it); `disttrain run` sets the default when the agent's environment has none");

    /// <summary><c>GLOO_SOCKET_IFNAME</c>.</summary>
    public static LaunchVariable GlooSocketInterface { get; } = new("GLOO_SOCKET_IFNAME", User, Optional, "the host name's address (loopback on one node reached through loopback)",
        "the network interface Gloo binds (PyTorch's name)");

    /// <summary><c>DISTTRAIN_LOCAL_ALLREDUCE</c>.</summary>
    public static LaunchVariable LocalAllReduce { get; } = new("DISTTRAIN_LOCAL_ALLREDUCE", User, Optional, "`1`",
        "`0` turns off the shared-memory all-reduce among the ranks on one host, so that Gloo does every sum; `0` on any rank turns it off for all");

    /// <summary><c>DISTTRAIN_MALLOC_TUNING</c>.</summary>
    public static LaunchVariable MallocTuning { get; } = new("DISTTRAIN_MALLOC_TUNING", User, Optional, "`1`",
        "`0` leaves glibc malloc alone; otherwise the runtime makes glibc keep freed memory for the next step (`mallopt`), except a threshold the user set (`MALLOC_MMAP_THRESHOLD_`, `MALLOC_TRIM_THRESHOLD_`, `GLIBC_TUNABLES`)");

    /// <summary><c>DISTTRAIN_TELEMETRY</c>.</summary>
    public static LaunchVariable Telemetry { get; } = new("DISTTRAIN_TELEMETRY", User, Optional, "`1`",
        "`0` turns off the worker's telemetry: no step measurements, no reports to the coordinator, no OpenTelemetry export");

    /// <summary><c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.</summary>
    public static LaunchVariable OtlpEndpoint { get; } = new("OTEL_EXPORTER_OTLP_ENDPOINT", User, Optional, "none: no OTLP export",
        "OpenTelemetry's variable: when set, workers also export their meters (`DistTrain`) and step traces over OTLP there (the other `OTEL_*` variables apply); `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` alone exports that signal alone, to that URL as it is");

    /// <summary><c>DISTTRAIN_NCCL_LIBRARY</c>.</summary>
    public static LaunchVariable NcclLibrary { get; } = new("DISTTRAIN_NCCL_LIBRARY", User, Optional, "`libnccl.so.2`",
        "the NCCL library to load (for example pip's `nvidia/nccl/lib/libnccl.so.2`)");

    /// <summary><c>DISTTRAIN_NATIVE_DEEPBIND</c>.</summary>
    public static LaunchVariable NativeDeepBind { get; } = new("DISTTRAIN_NATIVE_DEEPBIND", User, Optional, "`1`",
        "`0` loads libdisttrain_native.so without `RTLD_DEEPBIND` (needed only with a preloaded allocator such as jemalloc or ASan; see src/DistTrain.Native/README.md)");

    // Declared last: static initializers run in the order they are written.

    /// <summary>Every variable above, in the order docs/ENVIRONMENT.md lists them.</summary>
    public static IReadOnlyList<LaunchVariable> All { get; } =
    [
        Rank, LocalRank, WorldSize, LocalWorldSize, GroupRank, GroupWorldSize, RoleRank, RoleWorldSize, MasterAddr, MasterPort,
        Coordinator, JobToken, StoreNamespace, JobId, Round, NodeId, RestartCount, MaxRestarts, CheckpointDir, AgentPid, ErrorFile,
        TorchElasticRestartCount, TorchElasticMaxRestarts, TorchElasticRunId,
        CudaVisibleDevices, OmpNumThreads, GlooSocketInterface, LocalAllReduce, MallocTuning, Telemetry, OtlpEndpoint, NcclLibrary, NativeDeepBind,
    ];
}
