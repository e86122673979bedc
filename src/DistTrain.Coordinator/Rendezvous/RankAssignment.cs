namespace DistTrain.Coordinator.Rendezvous;

/// <summary>
/// Assigns node ranks and global ranks deterministically. A node keeps its previous node rank when
/// that rank still exists in the new world; the other nodes fill the free ranks in order of their
/// previous rank (new nodes last), then of node id. Global ranks are the prefix sums of the worker
/// counts in node-rank order.
/// </summary>
internal static class RankAssignment
{
    /// <summary>A participant of a round about to close.</summary>
    public readonly record struct Participant(string NodeId, int LocalWorldSize, string Host);

    public static IReadOnlyList<NodeAssignment> Assign(
        IReadOnlyCollection<Participant> participants, IReadOnlyDictionary<string, int> previousRanks)
    {
        var count = participants.Count;
        var slots = new Participant?[count];
        var unplaced = new List<Participant>();
        foreach (var participant in participants.OrderBy(p => p.NodeId, StringComparer.Ordinal))
        {
            if (previousRanks.TryGetValue(participant.NodeId, out var rank) && rank < count && slots[rank] is null)
            {
                slots[rank] = participant;
            }
            else
            {
                unplaced.Add(participant);
            }
        }

        using var rest = unplaced
            .OrderBy(p => previousRanks.TryGetValue(p.NodeId, out var r) ? r : int.MaxValue)
            .ThenBy(p => p.NodeId, StringComparer.Ordinal)
            .GetEnumerator();
        var nodes = new NodeAssignment[count];
        var baseRank = 0;
        for (var rank = 0; rank < count; rank++)
        {
            var participant = slots[rank] ?? (rest.MoveNext() ? rest.Current : throw new InvalidOperationException("Fewer participants than ranks."));
            nodes[rank] = new NodeAssignment(participant.NodeId, rank, baseRank, participant.LocalWorldSize, participant.Host);
            baseRank += participant.LocalWorldSize;
        }

        return nodes;
    }
}
