using System.Text.Json.Nodes;
using DistTrain.Coordinator.Checkpoints;
using DistTrain.Coordinator.Rendezvous;

namespace DistTrain.Coordinator.Telemetry.Dashboard;

/// <summary>
/// What the dashboard shows beside the ranks' telemetry: the rendezvous round (rounds after the first
/// are the group's restarts and membership changes), the round's nodes, and the latest committed
/// checkpoint; the JSON of <c>/api/job</c>.
/// </summary>
public static class JobOverview
{
    /// <summary>
    /// <c>{"round", "roundState", "worldSize", "nodes": [{"nodeId", "host", "nodeRank", "baseRank", "localWorldSize"}],
    /// "checkpointsEnabled", "latestCheckpoint": {"name", "step", "epoch", "createdUtc"} or null}</c>, as of now.
    /// </summary>
    public static JsonObject Build(IRendezvous rendezvous, ICheckpointRegistry checkpoints)
    {
        ArgumentNullException.ThrowIfNull(rendezvous);
        ArgumentNullException.ThrowIfNull(checkpoints);
        var current = rendezvous.Current;
        var nodes = new JsonArray();
        foreach (var node in current.World?.Nodes ?? [])
        {
            nodes.Add(new JsonObject
            {
                ["nodeId"] = node.NodeId,
                ["host"] = node.Host,
                ["nodeRank"] = node.NodeRank,
                ["baseRank"] = node.BaseRank,
                ["localWorldSize"] = node.LocalWorldSize,
            });
        }

        var latest = checkpoints.Enabled ? checkpoints.Latest : null;
        return new JsonObject
        {
            // The round the world below belongs to: while a round is open, the last closed one's world is shown.
            ["round"] = current.World?.Round ?? current.Round,
            ["roundState"] = current.State == RoundState.Closed ? "closed" : "open",
            ["worldSize"] = current.World?.WorldSize ?? 0,
            ["nodes"] = nodes,
            ["checkpointsEnabled"] = checkpoints.Enabled,
            ["latestCheckpoint"] = latest is null ? null : new JsonObject
            {
                ["name"] = latest.Name,
                ["step"] = latest.Step,
                ["epoch"] = latest.Manifest.Epoch,
                ["createdUtc"] = latest.Manifest.CreatedUtc.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            },
        };
    }
}
