using System.Globalization;
using DistTrain.Launcher.Planning;
using DistTrain.Launcher.Settings;
using DistTrain.Launcher.Workers;
using DistTrain.Protocol.Launch;
using DistTrain.Protocol.V1;

namespace DistTrain.Launcher.Agent;

/// <summary>Builds each worker's environment from the agent's own, the plan and the round's world.</summary>
public static class WorkerEnvironment
{
    /// <summary>
    /// The environments of this node's workers for <paramref name="world"/>, in local-rank order: the
    /// agent's environment plus each worker's <see cref="LaunchIdentity"/> (<see cref="LaunchIdentityWriter"/>), with its error file.
    /// </summary>
    /// <param name="plan">The launch plan.</param>
    /// <param name="world">The round's world.</param>
    /// <param name="me">This node's place in it.</param>
    /// <param name="restartCount">How many times this node's workers were restarted after failures.</param>
    /// <param name="attempt">How many groups this agent started before (failures and membership changes); names the log directory.</param>
    /// <param name="inherited">The agent's environment.</param>
    /// <param name="cpuCount">The node's CPU cores.</param>
    /// <param name="errorFileRoot">
    /// Where the error files go without <c>--log-dir</c>: <c>attempt_N/rank_R/error.json</c> under it (default: this
    /// agent's folder under the temporary folder, which nothing creates until a worker writes its last words).
    /// With <c>--log-dir</c>, each worker's error file is <c>error.json</c> in its log folder.
    /// </param>
    public static IReadOnlyList<WorkerLaunch> Build(
        LaunchPlan plan, World world, NodeAssignment me, int restartCount, int attempt, IReadOnlyDictionary<string, string> inherited, int cpuCount,
        string? errorFileRoot = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(me);
        var c = CultureInfo.InvariantCulture;
        var launches = new List<WorkerLaunch>(me.LocalWorldSize);
        for (var i = 0; i < me.LocalWorldSize; i++)
        {
            var rank = me.BaseRank + i;
            var localRank = plan.LocalRankOffset + i;
            var logDirectory = plan.LogDir is { } root
                ? Path.Combine(root, plan.RunId, string.Create(c, $"attempt_{attempt}"), string.Create(c, $"rank_{rank}"))
                : null;
            var errorFile = Path.Combine(
                logDirectory ?? Path.Combine(errorFileRoot ?? DefaultErrorFileRoot(plan), string.Create(c, $"attempt_{attempt}"), string.Create(c, $"rank_{rank}")),
                "error.json");
            var env = new Dictionary<string, string>(inherited, StringComparer.Ordinal);
            foreach (var (name, value) in LaunchIdentityWriter.Write(Identity(plan, world, me, restartCount, rank, localRank, errorFile)))
            {
                env[name] = value;
            }

            if (plan.Gpus is { } gpus)
            {
                env[LaunchVariables.CudaVisibleDevices.Name] = gpus[i];
            }

            if (!inherited.ContainsKey(LaunchVariables.OmpNumThreads.Name))
            {
                env[LaunchVariables.OmpNumThreads.Name] = Math.Max(1, cpuCount / Math.Max(1, plan.LocalWorldSize)).ToString(c);
            }

            // The agent's own settings are not the workers' business; the token travels as DISTTRAIN_JOB_TOKEN.
            env.Remove(RunFlags.Token.Variable);
            launches.Add(new WorkerLaunch(rank, localRank, env, logDirectory, errorFile));
        }

        return launches;
    }

    /// <summary>This agent's folder for error files when there is no log folder: the job's id and the agent's pid under the temporary folder.</summary>
    public static string DefaultErrorFileRoot(LaunchPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return Path.Combine(Path.GetTempPath(), string.Create(CultureInfo.InvariantCulture, $"disttrain-{plan.RunId}-{Environment.ProcessId}"));
    }

    private static LaunchIdentity Identity(LaunchPlan plan, World world, NodeAssignment me, int restartCount, int rank, int localRank, string errorFile) => new()
    {
        Rank = rank,
        LocalRank = localRank,
        WorldSize = world.WorldSize,
        LocalWorldSize = plan.LocalWorldSize,
        GroupRank = me.NodeRank,
        GroupWorldSize = world.Nodes.Count,
        Coordinator = new Uri(plan.Coordinator.ToUri()),
        JobToken = plan.Token,
        StoreNamespace = world.StoreNamespace,
        JobId = plan.RunId,
        Round = world.Round,
        NodeId = me.NodeId,
        RestartCount = restartCount,
        MaxRestarts = plan.MaxRestarts,
        CheckpointDir = plan.CheckpointDir,
        AgentPid = Environment.ProcessId,
        ErrorFile = errorFile,
    };
}
