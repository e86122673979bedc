using System.Threading.Channels;
using DistTrain.Coordinator.Rendezvous;

namespace DistTrain.Coordinator.Membership;

/// <summary>Records heartbeats and declares silent nodes dead.</summary>
public interface IHeartbeatMonitor
{
    /// <summary>Records that <paramref name="nodeId"/>, running round <paramref name="round"/>, is alive now.</summary>
    /// <returns>The current round and whether the node must stop its workers and join again.</returns>
    HeartbeatResult Heartbeat(string nodeId, long round);

    /// <summary>Declares dead every member of the closed round that has been silent for too long; returns their ids.</summary>
    IReadOnlyList<string> Sweep();

    /// <summary>How long <paramref name="nodeId"/>, a member of the closed round, has been silent: since its last heartbeat or, before any, since the round closed.</summary>
    TimeSpan SilentFor(string nodeId, RendezvousWorld world);
}

/// <summary>The coordinator's answer to a heartbeat.</summary>
/// <param name="CurrentRound">The current round.</param>
/// <param name="State">Its state.</param>
/// <param name="RejoinRequired">Whether the node's round is over or the node is no longer part of it.</param>
public readonly record struct HeartbeatResult(long CurrentRound, RoundState State, bool RejoinRequired);

/// <summary>Settings of failure detection.</summary>
public sealed class HeartbeatOptions
{
    /// <summary>How often each node heartbeats.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many heartbeats in a row a node may miss before it is declared dead.</summary>
    public int MissesBeforeDead { get; set; } = 3;

    /// <summary>How long a node may stay silent: <see cref="Interval"/> × <see cref="MissesBeforeDead"/>.</summary>
    public TimeSpan DeadAfter => Interval * MissesBeforeDead;
}

/// <summary>One membership event, in the order it happened.</summary>
/// <param name="Round">The round the event is about.</param>
public abstract record MembershipEvent(long Round);

/// <summary>A round closed with this world.</summary>
public sealed record RoundClosedEvent(RendezvousWorld World) : MembershipEvent(World.Round);

/// <summary>A closed round ended; round <see cref="MembershipEvent.Round"/> is open and survivors must join again.</summary>
public sealed record RoundReopenedEvent(long Round, long PreviousRound, string Reason) : MembershipEvent(Round);

/// <summary>A node was declared dead.</summary>
public sealed record NodeDiedEvent(long Round, string NodeId, string Reason) : MembershipEvent(Round);

/// <summary>A node left the job on purpose.</summary>
public sealed record NodeLeftEvent(long Round, string NodeId, string Reason) : MembershipEvent(Round);

/// <summary>A watcher's view: the state when it started watching, then every event after it.</summary>
public sealed class WatchSubscription : IDisposable
{
    private readonly Action<WatchSubscription> _unsubscribe;
    private readonly Channel<MembershipEvent> _events =
        Channel.CreateUnbounded<MembershipEvent>(new UnboundedChannelOptions { SingleReader = true });

    internal WatchSubscription(RendezvousSnapshot snapshot, Action<WatchSubscription> unsubscribe)
    {
        Snapshot = snapshot;
        _unsubscribe = unsubscribe;
    }

    /// <summary>Where the rendezvous stood when watching started.</summary>
    public RendezvousSnapshot Snapshot { get; }

    /// <summary>The events after the snapshot, in order; completes when the subscription is disposed.</summary>
    public ChannelReader<MembershipEvent> Events => _events.Reader;

    internal void Post(MembershipEvent membershipEvent) => _events.Writer.TryWrite(membershipEvent);

    /// <summary>Stops watching.</summary>
    public void Dispose()
    {
        _unsubscribe(this);
        _events.Writer.TryComplete();
    }
}
