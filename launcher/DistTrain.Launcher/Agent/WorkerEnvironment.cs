using System.Globalization;
using DistTrain.Launcher.Planning;
using DistTrain.Launcher.Settings;
using DistTrain.Launcher.Workers;
using DistTrain.Protocol.V1;

namespace DistTrain.Launcher.Agent;

/// <summary>Builds each worker's environment from the agent's own, the plan and the round's world.</summary>
public static class WorkerEnvironment
{
    /// <summary>
    /// The environments of this node's workers for <paramref name="world"/>, in local-rank order: the
    /// agent's environment plus the variables in <see cref="WorkerVariables"/>.
    /// </summary>
    /// <param name="plan">The launch plan.</param>
    /// <param name="world">The round's world.</param>
    /// <param name="me">This node's place in it.</param>
    /// <param name="restartCount">How many times this node's workers were restarted after failures.</param>
    /// <param name="attempt">How many groups this agent started before (after failures and membership changes); names the log directory.</param>
    /// <param name="inherited">The agent's environment.</param>
    /// <param name="cpuCount">The node's CPU cores.</param>
    public static IReadOnlyList<WorkerLaunch> Build(
        LaunchPlan plan, World world, NodeAssignment me, int restartCount, int attempt, IReadOnlyDictionary<string, string> inherited, int cpuCount)
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
            var env = new Dictionary<string, string>(inherited, StringComparer.Ordinal)
            {
                [WorkerVariables.Rank] = rank.ToString(c),
                [WorkerVariables.LocalRank] = localRank.ToString(c),
                [WorkerVariables.WorldSize] = world.WorldSize.ToString(c),
                [WorkerVariables.LocalWorldSize] = plan.LocalWorldSize.ToString(c),
                [WorkerVariables.GroupRank] = me.NodeRank.ToString(c),
                [WorkerVariables.GroupWorldSize] = world.Nodes.Count.ToString(c),
                [WorkerVariables.RoleRank] = rank.ToString(c),
                [WorkerVariables.RoleWorldSize] = world.WorldSize.ToString(c),
                [WorkerVariables.MasterAddr] = plan.Coordinator.Host,
                [WorkerVariables.MasterPort] = plan.Coordinator.Port.ToString(c),
                [WorkerVariables.Coordinator] = plan.Coordinator.ToUri(),
                [WorkerVariables.JobToken] = plan.Token,
                [WorkerVariables.JobId] = plan.RunId,
                [WorkerVariables.RestartCount] = restartCount.ToString(c),
                [WorkerVariables.MaxRestarts] = plan.MaxRestarts.ToString(c),
                [WorkerVariables.Round] = world.Round.ToString(c),
                [WorkerVariables.StoreNamespace] = world.StoreNamespace,
                [WorkerVariables.TorchElasticRestartCount] = restartCount.ToString(c),
                [WorkerVariables.TorchElasticMaxRestarts] = plan.MaxRestarts.ToString(c),
                [WorkerVariables.TorchElasticRunId] = plan.RunId,
            };
            if (plan.Gpus is { } gpus)
            {
                env[WorkerVariables.CudaVisibleDevices] = gpus[i];
            }

            if (!inherited.ContainsKey(WorkerVariables.OmpNumThreads))
            {
                env[WorkerVariables.OmpNumThreads] = Math.Max(1, cpuCount / Math.Max(1, plan.LocalWorldSize)).ToString(c);
            }

            // The agent's own settings are not the workers' business; the token travels as DISTTRAIN_JOB_TOKEN.
            env.Remove(RunFlags.Token.Variable);
            var logDirectory = plan.LogDir is { } root
                ? Path.Combine(root, plan.RunId, string.Create(c, $"attempt_{attempt}"), string.Create(c, $"rank_{rank}"))
                : null;
            launches.Add(new WorkerLaunch(rank, localRank, env, logDirectory));
        }

        return launches;
    }
}
