using System.Globalization;
using static DistTrain.Protocol.Launch.LaunchVariables;

namespace DistTrain.Protocol.Launch;

/// <summary>Turns a worker's <see cref="LaunchIdentity"/> into the variables the launcher sets: torchrun's names and DistTrain's own.</summary>
public static class LaunchIdentityWriter
{
    /// <summary>
    /// Every <see cref="VariableSource.Launcher"/> variable for <paramref name="identity"/>, by name.
    /// <c>MASTER_ADDR</c> and <c>MASTER_PORT</c> are the coordinator's host and port: it holds the job's
    /// store. <c>DISTTRAIN_JOB_ID</c> and <c>TORCHELASTIC_RUN_ID</c> are left out when the identity has no job id, <c>DISTTRAIN_CHECKPOINT_DIR</c> when it has no checkpoint directory, <c>DISTTRAIN_AGENT_PID</c> when it names no agent, <c>DISTTRAIN_NODE_ID</c> when it has no node id, <c>DISTTRAIN_ERROR_FILE</c> when it has none.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Write(LaunchIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var c = CultureInfo.InvariantCulture;
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Rank.Name] = identity.Rank.ToString(c),
            [LocalRank.Name] = identity.LocalRank.ToString(c),
            [WorldSize.Name] = identity.WorldSize.ToString(c),
            [LocalWorldSize.Name] = identity.LocalWorldSize.ToString(c),
            [GroupRank.Name] = identity.GroupRank.ToString(c),
            [GroupWorldSize.Name] = identity.GroupWorldSize.ToString(c),
            [RoleRank.Name] = identity.Rank.ToString(c),
            [RoleWorldSize.Name] = identity.WorldSize.ToString(c),
            [MasterAddr.Name] = identity.Coordinator.DnsSafeHost,
            [MasterPort.Name] = identity.Coordinator.Port.ToString(c),
            // Without the root path's "/" that Uri adds: DISTTRAIN_COORDINATOR reads http://host:port.
            [Coordinator.Name] = identity.Coordinator.GetLeftPart(UriPartial.Path).TrimEnd('/'),
            [JobToken.Name] = identity.JobToken,
            [StoreNamespace.Name] = identity.StoreNamespace,
            [Round.Name] = identity.Round.ToString(c),
            [RestartCount.Name] = identity.RestartCount.ToString(c),
            [MaxRestarts.Name] = identity.MaxRestarts.ToString(c),
            [TorchElasticRestartCount.Name] = identity.RestartCount.ToString(c),
            [TorchElasticMaxRestarts.Name] = identity.MaxRestarts.ToString(c),
        };
        if (identity.CheckpointDir is { } checkpointDir)
        {
            variables[CheckpointDir.Name] = checkpointDir;
        }

        if (identity.AgentPid is { } agentPid)
        {
            variables[AgentPid.Name] = agentPid.ToString(c);
        }

        if (identity.NodeId is { } nodeId)
        {
            variables[NodeId.Name] = nodeId;
        }

        if (identity.ErrorFile is { } errorFile)
        {
            variables[ErrorFile.Name] = errorFile;
        }

        if (identity.JobId is { } jobId)
        {
            variables[JobId.Name] = jobId;
            variables[TorchElasticRunId.Name] = jobId;
        }

        return variables;
    }
}
