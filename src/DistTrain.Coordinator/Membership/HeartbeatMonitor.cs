using System.Collections.Concurrent;
using DistTrain.Coordinator.Rendezvous;
using Microsoft.Extensions.Options;

namespace DistTrain.Coordinator.Membership;

/// <summary>
/// Tracks when each member of the closed round last heartbeat. A member is silent since the later
/// of its last heartbeat and the moment its round closed; silent for longer than
/// <see cref="HeartbeatOptions.DeadAfter"/> means dead, and the rendezvous reopens.
/// </summary>
internal sealed class HeartbeatMonitor(IOptions<CoordinatorOptions> options, IRendezvous rendezvous, TimeProvider time) : IHeartbeatMonitor
{
    private readonly HeartbeatOptions _options = options.Value.Heartbeat;
    private readonly ConcurrentDictionary<string, long> _lastSeen = new(StringComparer.Ordinal);

    public HeartbeatResult Heartbeat(string nodeId, long round)
    {
        var current = rendezvous.Current;
        var member = current.World is { } world && world.Round == round && world.Find(nodeId) is not null;
        if (member)
        {
            // Only members are tracked, so heartbeats with made-up ids cannot grow the table.
            _lastSeen[nodeId] = time.GetTimestamp();
        }

        return new HeartbeatResult(current.Round, current.State, RejoinRequired: !member);
    }

    public IReadOnlyList<string> Sweep()
    {
        if (rendezvous.Current.World is not { } world)
        {
            return [];
        }

        List<string>? dead = null;
        foreach (var node in world.Nodes)
        {
            var silentFor = SilentFor(node.NodeId, world);
            if (silentFor <= _options.DeadAfter)
            {
                continue;
            }

            var reason = $"missed {_options.MissesBeforeDead} heartbeats (silent for {silentFor.TotalSeconds:0.0} s, interval {_options.Interval.TotalSeconds:0.###} s)";
            if (rendezvous.DeclareDead(node.NodeId, world.Round, reason))
            {
                _lastSeen.TryRemove(node.NodeId, out _);
                (dead ??= []).Add(node.NodeId);
            }
        }

        return dead ?? (IReadOnlyList<string>)[];
    }

    public TimeSpan SilentFor(string nodeId, RendezvousWorld world)
    {
        var closedAgo = time.GetUtcNow() - world.ClosedAt;
        return _lastSeen.TryGetValue(nodeId, out var seen) && time.GetElapsedTime(seen) < closedAgo ? time.GetElapsedTime(seen) : closedAgo;
    }
}
