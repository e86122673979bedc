using static DistTrain.Protocol.Launch.LaunchVariables;

namespace DistTrain.Protocol.Launch;

/// <summary>Reads a worker's <see cref="LaunchIdentity"/> from the variables the launcher set.</summary>
public static class LaunchIdentityReader
{
    /// <summary>
    /// Reads the identity from the variables <paramref name="lookup"/> returns (null: not set). The
    /// optional ones take their defaults (<see cref="LaunchVariables"/>); the coordinator, its token and the
    /// round's store namespace are required, because the process groups bootstrap through the coordinator's store.
    /// </summary>
    /// <exception cref="LaunchVariableException">A variable is missing or invalid; the message names it, shows its value and says what to do.</exception>
    public static LaunchIdentity Read(Func<string, string?> lookup)
    {
        var variables = new LaunchVariableLookup(lookup);
        var worldSize = variables.Required(WorldSize, min: 1);
        var rank = variables.Required(Rank, min: 0);
        RequireLess(Rank, rank, WorldSize, worldSize);
        var localWorldSize = variables.Integer(LocalWorldSize, min: 1) ?? worldSize;
        var localRank = variables.Integer(LocalRank, min: 0) ?? rank;
        RequireLess(LocalRank, localRank, LocalWorldSize, localWorldSize);
        var groupRank = variables.Integer(GroupRank, min: 0) ?? 0;
        var groupWorldSize = variables.Integer(GroupWorldSize, min: 1);
        if (groupWorldSize is { } groups) RequireLess(GroupRank, groupRank, GroupWorldSize, groups);

        var coordinator = CoordinatorUri(variables);
        var jobToken = variables.Text(JobToken);
        var storeNamespace = variables.Text(StoreNamespace);
        var jobId = variables.Text(JobId);
        var round = variables.Integer(Round, min: 0UL) ?? 0;
        var nodeId = variables.Text(NodeId);
        var restartCount = variables.Integer(RestartCount, min: 0) ?? 0;
        var maxRestarts = variables.Integer(MaxRestarts, min: 0) ?? 0;
        var checkpointDir = variables.Text(CheckpointDir);
        var agentPid = variables.Integer(AgentPid, min: 1);
        var errorFile = variables.Text(ErrorFile);
        if (coordinator is null)
        {
            var masterAddr = variables.Text(MasterAddr);
            throw new LaunchVariableException(Coordinator.Name,
                $"{Coordinator} is not set: DistTrain's workers create their process groups through the coordinator's store " +
                $"(a torchrun-style TCPStore on {MasterAddr}{(masterAddr is null ? "" : $" ({masterAddr})")}:{MasterPort} is not supported); {LaunchVariableLookup.Advice}.");
        }

        if (jobToken is null)
        {
            throw new LaunchVariableException(JobToken.Name,
                $"{JobToken} is not set but {Coordinator} is ({coordinator}): set it to the job's token; `disttrain run` sets both.");
        }

        if (storeNamespace is null)
        {
            throw new LaunchVariableException(StoreNamespace.Name,
                $"{StoreNamespace} is not set but {Coordinator} is ({coordinator}): set it to the rendezvous round's store namespace " +
                "(the world's store_namespace, for example round-1); `disttrain run` sets both.");
        }

        return new LaunchIdentity
        {
            Rank = rank,
            LocalRank = localRank,
            WorldSize = worldSize,
            LocalWorldSize = localWorldSize,
            GroupRank = groupRank,
            GroupWorldSize = groupWorldSize ?? 1,
            Coordinator = coordinator,
            JobToken = jobToken,
            StoreNamespace = storeNamespace,
            JobId = jobId,
            Round = round,
            NodeId = nodeId,
            RestartCount = restartCount,
            MaxRestarts = maxRestarts,
            CheckpointDir = checkpointDir,
            AgentPid = agentPid,
            ErrorFile = errorFile,
        };
    }

    private static void RequireLess(LaunchVariable variable, int value, LaunchVariable bound, int boundValue)
    {
        if (value >= boundValue)
        {
            throw new LaunchVariableException(variable.Name, $"{variable} ({value}) must be less than {bound} ({boundValue}); {LaunchVariableLookup.Advice}.");
        }
    }

    // host:port is read as http://host:port; anything but an http(s) address is refused.
    private static Uri? CoordinatorUri(LaunchVariableLookup variables)
    {
        var text = variables.Text(Coordinator);
        if (text is null) return null;
        if (!text.Contains("://", StringComparison.Ordinal)) text = "http://" + text;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new LaunchVariableException(Coordinator.Name,
                $"{Coordinator} is '{text}', which is not an address such as http://10.0.0.1:29400: {LaunchVariableLookup.Advice}.");
        }

        return uri;
    }
}
