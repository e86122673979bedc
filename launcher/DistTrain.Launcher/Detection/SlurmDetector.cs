using System.Globalization;
using DistTrain.Coordinator.Hosting;
using DistTrain.Launcher.Settings;

namespace DistTrain.Launcher.Detection;

/// <summary>
/// Reads a SLURM job step's variables. Two launch patterns: one task per node (each task is an agent
/// running <c>--nproc-per-node</c> workers) and one task per GPU (each task is an agent with one worker,
/// and <c>RANK</c> equals <c>SLURM_PROCID</c>). Task 0 hosts the coordinator on the first host of the
/// allocation.
/// </summary>
public static class SlurmDetector
{
    /// <summary>Whether the environment is a SLURM job step (<c>SLURM_JOB_ID</c> and <c>SLURM_PROCID</c> set).</summary>
    public static bool Applies(IReadOnlyDictionary<string, string> environment) =>
        environment.ContainsKey("SLURM_JOB_ID") && environment.ContainsKey("SLURM_PROCID");

    /// <summary>Reads the step's place in the job.</summary>
    /// <param name="environment">The agent's environment.</param>
    /// <param name="endpoint">An explicit <c>--rdzv-endpoint</c>; otherwise the first host of the node list, port 29400.</param>
    /// <param name="cancellationToken">Cancels expanding the node list.</param>
    /// <exception cref="PreflightException">A variable is missing or malformed, or the node list cannot be expanded.</exception>
    public static async Task<DetectedEnvironment> DetectAsync(
        IReadOnlyDictionary<string, string> environment, Endpoint? endpoint, CancellationToken cancellationToken = default)
    {
        var jobId = environment["SLURM_JOB_ID"];
        var procId = Integer(environment, "SLURM_PROCID", 0);
        var nTasks = Integer(environment, "SLURM_NTASKS", 1, fallback: environment.GetValueOrDefault("SLURM_NPROCS"));
        var nNodes = Integer(environment, "SLURM_NNODES", 1, fallback: environment.GetValueOrDefault("SLURM_JOB_NUM_NODES"));
        var nodeId = Integer(environment, "SLURM_NODEID", 0, fallback: "0");
        var localId = Integer(environment, "SLURM_LOCALID", 0, fallback: "0");
        if (procId >= nTasks)
        {
            throw new PreflightException($"SLURM_PROCID ({procId}) must be less than SLURM_NTASKS ({nTasks}).");
        }

        var hostName = environment.GetValueOrDefault("SLURMD_NODENAME") ?? Environment.MachineName;

        // Task 0 runs on the first host of the allocation, so it hosts the coordinator there, and no other
        // task ever does: they connect, retrying until --rdzv-timeout (a race to bind the port would let
        // any task of the first host win). An explicit endpoint on that host means the same; for one that
        // names no host of the allocation (a login node, an address), task 0 hosts only if it is this machine.
        var nodeList = environment.GetValueOrDefault("SLURM_JOB_NODELIST") ?? environment.GetValueOrDefault("SLURM_NODELIST");
        bool? hosts;
        if (endpoint is null)
        {
            if (nodeList is null)
            {
                throw new PreflightException("SLURM_JOB_NODELIST is not set, so the coordinator's host is unknown: give --rdzv-endpoint HOST:PORT.");
            }

            var hostNames = await SlurmNodeList.ExpandAsync(nodeList, environment, cancellationToken).ConfigureAwait(false);
            endpoint = new Endpoint(hostNames[0], Endpoint.DefaultPort);
            hosts = procId == 0;
        }
        else if (procId != 0)
        {
            hosts = false;
        }
        else
        {
            hosts = null;
            if (nodeList is not null)
            {
                try
                {
                    var first = (await SlurmNodeList.ExpandAsync(nodeList, environment, cancellationToken).ConfigureAwait(false))[0];
                    if (string.Equals(first, endpoint.Value.Host, StringComparison.OrdinalIgnoreCase)
                        || string.Equals(first, endpoint.Value.Host.Split('.')[0], StringComparison.OrdinalIgnoreCase))
                    {
                        hosts = procId == 0;
                    }
                }
                catch (PreflightException)
                {
                    // Without scontrol the explicit endpoint still works; auto mode decides whether task 0 hosts.
                }
            }
        }

        var c = CultureInfo.InvariantCulture;
        if (nTasks <= nNodes)
        {
            return new DetectedEnvironment
            {
                Description = $"SLURM job {jobId}, task {procId} of {nTasks} on {hostName} (one task per node)",
                Nnodes = new NodeRange(nNodes, nNodes),
                NodeRank = nodeId,
                Endpoint = endpoint.Value,
                HostsCoordinator = hosts,
                RdzvId = jobId,
                NodeId = string.Create(c, $"slurm-{nodeId:D5}-{hostName}"),
                HostName = hostName,
            };
        }

        var tasksHere = TasksOnNode(environment, nodeId);
        return new DetectedEnvironment
        {
            Description = $"SLURM job {jobId}, task {procId} of {nTasks} on {hostName} (several tasks per node: one worker per task, local task {localId} of {tasksHere})",
            Nnodes = new NodeRange(nTasks, nTasks),
            NodeRank = procId,
            Endpoint = endpoint.Value,
            HostsCoordinator = hosts,
            RdzvId = jobId,
            NodeId = string.Create(c, $"slurm-{procId:D5}-{hostName}"),
            HostName = hostName,
            RequiredNproc = 1,
            LocalRankOffset = localId,
            LocalWorldSize = tasksHere,
        };
    }

    /// <summary>
    /// The number of tasks on node <paramref name="nodeId"/>: <c>SLURM_NTASKS_PER_NODE</c>, else its entry
    /// in <c>SLURM_TASKS_PER_NODE</c> (<c>2(x3),1</c>: three nodes with 2 tasks, then one with 1).
    /// </summary>
    internal static int TasksOnNode(IReadOnlyDictionary<string, string> environment, int nodeId)
    {
        if (environment.TryGetValue("SLURM_NTASKS_PER_NODE", out var perNode) && int.TryParse(perNode, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            return n;
        }

        var text = environment.GetValueOrDefault("SLURM_TASKS_PER_NODE")
            ?? environment.GetValueOrDefault("SLURM_STEP_TASKS_PER_NODE")
            ?? throw new PreflightException("SLURM_TASKS_PER_NODE is not set, so the tasks on this node are unknown; run the step with srun.");
        var node = 0;
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var open = part.IndexOf('(', StringComparison.Ordinal);
            var tasksText = open < 0 ? part : part[..open];
            var repeatText = open < 0 ? "1" : part[(open + 2)..^1];
            if (!int.TryParse(tasksText, NumberStyles.None, CultureInfo.InvariantCulture, out var tasks)
                || !int.TryParse(repeatText, NumberStyles.None, CultureInfo.InvariantCulture, out var repeat)
                || (open >= 0 && !part.AsSpan(open).StartsWith("(x")))
            {
                throw new PreflightException($"SLURM_TASKS_PER_NODE ('{text}') must look like '2(x3),1'.");
            }

            if (nodeId < node + repeat)
            {
                return tasks;
            }

            node += repeat;
        }

        throw new PreflightException($"SLURM_TASKS_PER_NODE ('{text}') lists {node} nodes, but this is node {nodeId} (SLURM_NODEID).");
    }

    private static int Integer(IReadOnlyDictionary<string, string> environment, string name, int min, string? fallback = null)
    {
        var text = environment.GetValueOrDefault(name) ?? fallback
            ?? throw new PreflightException($"{name} is not set: run disttrain inside 'srun' (a job step), not directly in the batch script.");
        return int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min
            ? value
            : throw new PreflightException($"{name} ('{text}') must be an integer of at least {min}.");
    }
}
