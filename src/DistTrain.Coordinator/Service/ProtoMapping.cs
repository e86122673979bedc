using DistTrain.Coordinator.Membership;
using DistTrain.Coordinator.Rendezvous;
using Google.Protobuf.WellKnownTypes;
using V1 = DistTrain.Protocol.V1;

namespace DistTrain.Coordinator.Service;

/// <summary>Turns the domain's records into the API's messages.</summary>
internal static class ProtoMapping
{
    public static V1.World ToProto(this RendezvousWorld world, HeartbeatOptions heartbeat)
    {
        var proto = new V1.World
        {
            Round = (ulong)world.Round,
            WorldSize = world.WorldSize,
            StoreNamespace = world.StoreNamespace,
            HeartbeatInterval = Duration.FromTimeSpan(heartbeat.Interval),
            HeartbeatMisses = heartbeat.MissesBeforeDead,
        };
        foreach (var node in world.Nodes)
        {
            proto.Nodes.Add(new V1.NodeAssignment
            {
                NodeId = node.NodeId,
                NodeRank = node.NodeRank,
                BaseRank = node.BaseRank,
                LocalWorldSize = node.LocalWorldSize,
                Host = node.Host,
            });
        }

        return proto;
    }

    public static V1.RoundState ToProto(this RoundState state) =>
        state == RoundState.Open ? V1.RoundState.Open : V1.RoundState.Closed;

    public static V1.WatchEvent ToProto(this RendezvousSnapshot snapshot, HeartbeatOptions heartbeat) => new()
    {
        Round = (ulong)snapshot.Round,
        Snapshot = new V1.Snapshot { State = snapshot.State.ToProto(), World = snapshot.World?.ToProto(heartbeat), JoinedNodes = snapshot.JoinedNodes },
    };

    public static V1.WatchEvent ToProto(this MembershipEvent membershipEvent, HeartbeatOptions heartbeat)
    {
        var proto = new V1.WatchEvent { Round = (ulong)membershipEvent.Round };
        switch (membershipEvent)
        {
            case RoundClosedEvent closed:
                proto.RoundClosed = closed.World.ToProto(heartbeat);
                break;
            case RoundReopenedEvent reopened:
                proto.RoundReopened = new V1.RoundReopened { PreviousRound = (ulong)reopened.PreviousRound, Reason = reopened.Reason };
                break;
            case NodeDiedEvent died:
                proto.NodeDied = new V1.NodeDied { NodeId = died.NodeId, Reason = died.Reason };
                break;
            case NodeLeftEvent left:
                proto.NodeLeft = new V1.NodeLeft { NodeId = left.NodeId, Reason = left.Reason };
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(membershipEvent), membershipEvent.GetType().Name, "Unknown membership event.");
        }

        return proto;
    }
}
