using System.Globalization;
using System.Security.Cryptography;
using DistTrain.Coordinator.Hosting;
using DistTrain.Launcher.Detection;
using DistTrain.Launcher.Settings;
using DistTrain.Launcher.Workers;

namespace DistTrain.Launcher.Planning;

/// <summary>
/// Turns the settings into one <see cref="LaunchPlan"/>: detects where the agent runs, finds the GPUs
/// and the program, and refuses, before anything starts, what cannot work. <c>--standalone</c> is
/// decided here and nowhere else.
/// </summary>
public static class LaunchPlanner
{
    /// <summary>Detects the environment, resolves the program (building a project once), checks <c>--log-dir</c>, and plans.</summary>
    /// <exception cref="PreflightException">Something the plan needs is missing or contradicts the rest.</exception>
    public static async Task<LaunchPlan> PlanAsync(
        RunSettings settings, IReadOnlyDictionary<string, string> environment, Action<string> log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        var detected = settings.Standalone
            ? StandaloneNode(EnvironmentDetector.HostName(environment))
            : await EnvironmentDetector.DetectAsync(environment, settings.RdzvEndpoint, cancellationToken).ConfigureAwait(false);
        log($"{detected.Description}.");
        var gpus = GpuInventory.Probe(environment);
        var program = await ProgramResolver.ResolveAsync(settings.Program, settings.ProgramArgs, environment, log, cancellationToken).ConfigureAwait(false);
        CheckLogDirectory(settings.LogDir);
        return Plan(settings, detected, gpus, program, Environment.ProcessorCount);
    }

    /// <summary>Builds the plan.</summary>
    /// <param name="settings">The flags.</param>
    /// <param name="detected">Where the agent runs.</param>
    /// <param name="gpus">The node's GPUs.</param>
    /// <param name="program">The resolved program.</param>
    /// <param name="cpuCount">The node's CPU cores (for <c>--nproc-per-node cpu</c>).</param>
    /// <exception cref="PreflightException">The flags contradict the environment or the GPUs.</exception>
    public static LaunchPlan Plan(RunSettings settings, DetectedEnvironment detected, GpuInventory gpus, WorkerProgram program, int cpuCount)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(detected);
        ArgumentNullException.ThrowIfNull(gpus);
        var nnodes = settings.Nnodes ?? detected.Nnodes ?? new NodeRange(1, 1);
        var nodeRank = settings.NodeRank ?? detected.NodeRank;
        if (nodeRank is { } r && r >= nnodes.Max)
        {
            throw new PreflightException($"The node rank ({r}) must be less than the maximum number of nodes ({nnodes.Max}).");
        }

        var nproc = Nproc(settings.NprocPerNode, detected, gpus, cpuCount);
        var localWorldSize = detected.LocalWorldSize ?? nproc;
        var assigned = AssignGpus(settings.NprocPerNode, detected, gpus, nproc, localWorldSize);
        var token = settings.Token
            ?? (settings.Standalone
                ? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))
                : throw new PreflightException(
                    $"The job's token is needed when the coordinator is not --standalone: set {RunFlags.Token.Variable} (the same on every node), " +
                    $"for example: export {RunFlags.Token.Variable}=$(openssl rand -hex 16)"));

        var host = detected.HostName;
        var nodeId = settings.NodeId ?? detected.NodeId
            ?? (nodeRank is { } rank
                ? string.Create(CultureInfo.InvariantCulture, $"node-{rank:D5}-{host}")
                : string.Create(CultureInfo.InvariantCulture, $"{host}-{Environment.ProcessId}"));
        bool? hosts = settings.Coordinator switch
        {
            CoordinatorMode.Host => true,
            CoordinatorMode.Connect => false,
            _ => detected.HostsCoordinator,
        };
        return new LaunchPlan
        {
            Description = detected.Description,
            NodeId = nodeId,
            HostName = host,
            Nnodes = nnodes,
            NodeRank = nodeRank,
            Nproc = nproc,
            LocalRankOffset = detected.LocalRankOffset,
            LocalWorldSize = localWorldSize,
            Gpus = assigned,
            Coordinator = detected.Endpoint,
            HostsCoordinator = hosts,
            BindAddress = detected.Endpoint.IsLoopback ? "127.0.0.1" : "0.0.0.0",
            Token = token,
            RunId = settings.RdzvId ?? detected.RdzvId ?? "none",
            Program = program,
            LocalAddr = settings.LocalAddr,
            MaxRestarts = settings.MaxRestarts,
            StuckRestartAfter = settings.StuckRestartAfter,
            MonitorInterval = settings.MonitorInterval,
            LogDir = settings.LogDir,
            CheckpointDir = settings.CheckpointDir is { } checkpointDir ? Path.GetFullPath(checkpointDir) : null,
            KeepCheckpoints = settings.KeepCheckpoints,
            Tee = settings.Tee,
            GracePeriod = settings.GracePeriod,
            RdzvTimeout = settings.RdzvTimeout,
            LastCallTimeout = settings.LastCallTimeout,
            HeartbeatInterval = settings.HeartbeatInterval,
        };
    }

    /// <summary>One node with its own coordinator on a free loopback port.</summary>
    private static DetectedEnvironment StandaloneNode(string hostName) => new()
    {
        Description = $"standalone on {hostName}",
        Nnodes = new NodeRange(1, 1),
        NodeRank = 0,
        Endpoint = new Endpoint("127.0.0.1", 0),
        HostsCoordinator = true,
        HostName = hostName,
    };

    private static void CheckLogDirectory(string? logDir)
    {
        if (logDir is null)
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(logDir);
            var probe = Path.Combine(logDir, $".disttrain-write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PreflightException($"--log-dir ('{logDir}') is not writable ({ex.Message}); choose another directory.");
        }
    }

    private static int Nproc(NprocSpec? spec, DetectedEnvironment detected, GpuInventory gpus, int cpuCount)
    {
        if (detected.RequiredNproc is { } required)
        {
            if (spec is { } given && !(given.Kind == NprocKind.Count && given.Count == required))
            {
                throw new PreflightException(
                    $"--nproc-per-node ({given}) contradicts the launch: {detected.Description} runs {required} worker per task. " +
                    "Either drop --nproc-per-node, or start one task per node (srun --ntasks-per-node=1) and give --nproc-per-node there.");
            }

            return required;
        }

        return spec switch
        {
            null => 1,
            { Kind: NprocKind.Count } s => s.Count,
            { Kind: NprocKind.Cpu } => cpuCount,
            { Kind: NprocKind.Auto } => gpus.Count > 0 ? gpus.Count : cpuCount,
            { Kind: NprocKind.Gpu } when gpus.Count > 0 => gpus.Count,
            _ => throw new PreflightException(
                $"--nproc-per-node gpu asks for one worker per GPU, but this node has none ({gpus.Source}). " +
                "Use --nproc-per-node N or cpu for CPU workers, or run on a GPU node."),
        };
    }

    private static IReadOnlyList<string>? AssignGpus(NprocSpec? spec, DetectedEnvironment detected, GpuInventory gpus, int nproc, int localWorldSize)
    {
        if (gpus.Count == 0 || spec is { Kind: NprocKind.Cpu })
        {
            return null;
        }

        if (detected.RequiredNproc is not null)
        {
            // One task per GPU: SLURM may have bound one GPU to this task already; otherwise take ours by local id.
            if (gpus.Count == 1)
            {
                return [gpus.Devices[0]];
            }

            if (localWorldSize > gpus.Count)
            {
                throw new PreflightException(
                    $"This node runs {localWorldSize} tasks but has {gpus.Count} GPUs ({gpus.Source}): more tasks per node than GPUs. " +
                    $"Ask SLURM for at most {gpus.Count} tasks per node (--ntasks-per-node={gpus.Count}) or for more GPUs (--gpus-per-node).");
            }

            return [gpus.Devices[detected.LocalRankOffset]];
        }

        if (nproc > gpus.Count)
        {
            throw new PreflightException(
                $"--nproc-per-node asks for {nproc} workers, but this node has {gpus.Count} GPUs ({gpus.Source}): one GPU per worker. " +
                $"Use --nproc-per-node gpu (= {gpus.Count}), or --nproc-per-node cpu for CPU workers.");
        }

        return gpus.Devices.Take(nproc).ToArray();
    }
}
