using DistTrain.Coordinator.Membership;

namespace DistTrain.Coordinator.Rendezvous;

/// <summary>
/// Rendezvous in rounds, as torch.distributed.elastic's dynamic rendezvous: nodes join an open
/// round; it closes at once at <see cref="RendezvousOptions.MaxNodes"/>, or at
/// <see cref="RendezvousOptions.MinNodes"/> after the last-call wait; its membership is then fixed
/// until a node dies, leaves or a new node asks to join, which opens the next round.
/// </summary>
public interface IRendezvous
{
    /// <summary>
    /// Joins the current round (or, when it is closed, the next one) and waits until that round
    /// closes, at most <see cref="RendezvousOptions.JoinTimeout"/>.
    /// </summary>
    /// <returns>The world of the closed round, identical for every participant.</returns>
    /// <exception cref="InvalidJoinException">The request breaks a rule (empty id, impossible worker count).</exception>
    /// <exception cref="RendezvousTimeoutException">The round did not close within the join timeout.</exception>
    /// <exception cref="NodeRemovedException">The node left or was removed while waiting.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the node is withdrawn from the open round.</exception>
    Task<RendezvousWorld> JoinAsync(JoinRequest request, CancellationToken cancellationToken = default);

    /// <summary>Removes a node that leaves on purpose; reopens the round if it was a member. Returns whether it was known.</summary>
    bool Leave(string nodeId, string reason);

    /// <summary>
    /// Declares <paramref name="nodeId"/> dead if it is still a member of round <paramref name="round"/>
    /// (a later round is left alone); reopens the round. Returns whether it was declared dead.
    /// </summary>
    bool DeclareDead(string nodeId, long round, string reason);

    /// <summary>Where the rendezvous stands now.</summary>
    RendezvousSnapshot Current { get; }

    /// <summary>
    /// Starts watching membership: returns the current state and every event after it, in order,
    /// with nothing lost between the two. Dispose the subscription to stop.
    /// </summary>
    WatchSubscription Watch();
}

/// <summary>A node's request to take part in a round.</summary>
/// <param name="NodeId">The node's stable id, unique in the job.</param>
/// <param name="LocalWorldSize">How many workers the node runs.</param>
/// <param name="Host">Where the other nodes reach it.</param>
/// <param name="KnownRound">The last round the node received a world for (0 if none).</param>
public sealed record JoinRequest(string NodeId, int LocalWorldSize, string Host, long KnownRound = 0);

/// <summary>One node's place in a world.</summary>
/// <param name="NodeId">The node's id.</param>
/// <param name="NodeRank">Its rank among nodes (torchrun's GROUP_RANK).</param>
/// <param name="BaseRank">The global rank of its first worker.</param>
/// <param name="LocalWorldSize">Its worker count.</param>
/// <param name="Host">Where the other nodes reach it.</param>
public sealed record NodeAssignment(string NodeId, int NodeRank, int BaseRank, int LocalWorldSize, string Host);

/// <summary>What every participant of a closed round receives.</summary>
/// <param name="Round">The round number.</param>
/// <param name="WorldSize">The total worker count.</param>
/// <param name="Nodes">The nodes in node-rank order.</param>
/// <param name="StoreNamespace">The round's key-value store namespace.</param>
/// <param name="ClosedAt">When the round closed.</param>
public sealed record RendezvousWorld(
    long Round, int WorldSize, IReadOnlyList<NodeAssignment> Nodes, string StoreNamespace, DateTimeOffset ClosedAt)
{
    private readonly Dictionary<string, NodeAssignment> _byId = Nodes.ToDictionary(n => n.NodeId, StringComparer.Ordinal);

    /// <summary>The assignment of <paramref name="nodeId"/>, or null if it is not a member.</summary>
    public NodeAssignment? Find(string nodeId) => _byId.GetValueOrDefault(nodeId);
}

/// <summary>Whether the current round is gathering nodes or closed.</summary>
public enum RoundState
{
    /// <summary>The round accepts joins.</summary>
    Open,

    /// <summary>The round's membership is fixed.</summary>
    Closed,
}

/// <summary>The current round, its state and (when closed) its world.</summary>
/// <param name="Round">The current round number.</param>
/// <param name="State">Open or closed.</param>
/// <param name="World">The world, when closed.</param>
/// <param name="JoinedNodes">How many nodes joined the open round (the world's node count when closed).</param>
public sealed record RendezvousSnapshot(long Round, RoundState State, RendezvousWorld? World, int JoinedNodes);

/// <summary>Settings of the rendezvous (torchrun's <c>--nnodes MIN:MAX</c> and the rendezvous timeouts).</summary>
public sealed class RendezvousOptions
{
    /// <summary>The number of nodes a round needs before it can close.</summary>
    public int MinNodes { get; set; } = 1;

    /// <summary>The number of nodes at which a round closes at once.</summary>
    public int MaxNodes { get; set; } = 1;

    /// <summary>How long a round waits for more nodes once it has <see cref="MinNodes"/> (torch's last_call_timeout).</summary>
    public TimeSpan LastCallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a join waits for its round to close (torch's join_timeout).</summary>
    public TimeSpan JoinTimeout { get; set; } = TimeSpan.FromSeconds(600);

    /// <summary>The largest worker count one node may declare.</summary>
    public int MaxWorkersPerNode { get; set; } = 1024;

    /// <summary>The longest node id accepted, in characters.</summary>
    public int MaxNodeIdLength { get; set; } = 256;
}

/// <summary>The base of every rendezvous failure.</summary>
public abstract class RendezvousException(string message) : Exception(message);

/// <summary>A join request breaks a rule; the message shows the value and the rule.</summary>
public sealed class InvalidJoinException(string message) : RendezvousException(message);

/// <summary>A join waited longer than the join timeout without its round closing.</summary>
public sealed class RendezvousTimeoutException(string nodeId, long round, TimeSpan timeout, int joined, int minNodes)
    : RendezvousException($"Node '{nodeId}' waited {timeout.TotalSeconds:0.###} s for round {round} to close; {joined} node(s) joined, {minNodes} needed.");

/// <summary>A node was withdrawn from the rendezvous while its join waited (it left, or was replaced).</summary>
public sealed class NodeRemovedException(string nodeId, string reason)
    : RendezvousException($"Node '{nodeId}' was removed from the rendezvous: {reason}.");
