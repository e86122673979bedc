using DistTrain.Coordinator.Membership;
using DistTrain.Coordinator.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DistTrain.Coordinator.Rendezvous;

/// <summary>
/// The rendezvous state machine. One lock guards it; waiting joins are
/// <see cref="TaskCompletionSource{TResult}"/>s completed when their round closes, and events go to
/// the <see cref="WatchHub"/> under the same lock so every watcher sees them in order.
/// </summary>
internal sealed partial class DynamicRendezvous : IRendezvous, IDisposable
{
    private readonly Lock _lock = new();
    private readonly RendezvousOptions _options;
    private readonly IStoreNamespaces _stores;
    private readonly WatchHub _hub;
    private readonly TimeProvider _time;
    private readonly ILogger<DynamicRendezvous> _logger;

    // Participants of the open round, and nodes that arrived while the closed round was full (standby).
    private readonly Dictionary<string, Joiner> _open = new(StringComparer.Ordinal);
    private readonly List<Joiner> _standby = [];
    private Dictionary<string, int> _previousRanks = new(StringComparer.Ordinal);
    private long _round = 1;
    private RendezvousWorld? _closed;
    private ITimer? _lastCall;

    public DynamicRendezvous(
        IOptions<CoordinatorOptions> options, IStoreNamespaces stores, WatchHub hub, TimeProvider time, ILogger<DynamicRendezvous> logger)
    {
        _options = options.Value.Rendezvous;
        _stores = stores;
        _hub = hub;
        _time = time;
        _logger = logger;
    }

    public RendezvousSnapshot Current
    {
        get { lock (_lock) { return SnapshotLocked(); } }
    }

    public async Task<RendezvousWorld> JoinAsync(JoinRequest request, CancellationToken cancellationToken = default)
    {
        Validate(request);
        Joiner joiner;
        lock (_lock)
        {
            if (_closed is { } world && world.Find(request.NodeId) is not null && request.KnownRound < world.Round)
            {
                // A retried join whose answer was lost: the node already holds a place in this world.
                return world;
            }

            joiner = EnterLocked(request);
        }

        try
        {
            return await joiner.Completion.Task.WaitAsync(_options.JoinTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            int joined;
            lock (_lock)
            {
                joined = _open.Count;
                Withdraw(joiner, "its join timed out");
            }

            if (joiner.Completion.Task.IsCompletedSuccessfully)
            {
                return joiner.Completion.Task.Result;
            }

            throw new RendezvousTimeoutException(request.NodeId, joiner.Round, _options.JoinTimeout, joined, _options.MinNodes);
        }
        catch (OperationCanceledException)
        {
            lock (_lock)
            {
                Withdraw(joiner, "its join call was cancelled");
            }

            throw;
        }
    }

    public bool Leave(string nodeId, string reason) => Remove(nodeId, round: null, reason, died: false);

    public bool DeclareDead(string nodeId, long round, string reason) => Remove(nodeId, round, reason, died: true);

    public WatchSubscription Watch()
    {
        lock (_lock)
        {
            return _hub.Subscribe(SnapshotLocked());
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _lastCall?.Dispose();
            _lastCall = null;
        }
    }

    private void Validate(JoinRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.NodeId))
        {
            throw new InvalidJoinException("The node id must not be empty.");
        }

        if (request.NodeId.Length > _options.MaxNodeIdLength)
        {
            throw new InvalidJoinException(
                $"The node id is {request.NodeId.Length} characters long; at most {_options.MaxNodeIdLength} are allowed.");
        }

        if (request.LocalWorldSize < 1 || request.LocalWorldSize > _options.MaxWorkersPerNode)
        {
            throw new InvalidJoinException(
                $"The local worker count of node '{request.NodeId}' ({request.LocalWorldSize}) must be between 1 and {_options.MaxWorkersPerNode}.");
        }
    }

    private Joiner EnterLocked(JoinRequest request)
    {
        var nodeId = request.NodeId;
        if (_closed is { } world)
        {
            if (world.Find(nodeId) is not null)
            {
                ReopenLocked($"node '{nodeId}' asked for a new round");
            }
            else if (world.Nodes.Count < _options.MaxNodes)
            {
                ReopenLocked($"node '{nodeId}' asks to join");
            }
            else
            {
                var standby = _standby.Find(j => j.NodeId == nodeId);
                if (standby is null)
                {
                    standby = new Joiner(request, _round + 1);
                    _standby.Add(standby);
                    LogStandby(nodeId, world.Round, world.Nodes.Count);
                }

                return standby;
            }
        }

        if (_open.TryGetValue(nodeId, out var existing))
        {
            // The same node joining twice (a retry): both calls wait for the same round.
            return existing;
        }

        var joiner = new Joiner(request, _round);
        _open[nodeId] = joiner;
        LogJoined(nodeId, _round, request.LocalWorldSize, _open.Count, _options.MinNodes, _options.MaxNodes);
        EvaluateLocked();
        return joiner;
    }

    // Closes the open round at MAX, or arms the last call at MIN (once: later joins do not extend it).
    private void EvaluateLocked()
    {
        if (_open.Count >= _options.MaxNodes)
        {
            CloseLocked();
        }
        else if (_open.Count >= _options.MinNodes && _lastCall is null)
        {
            var round = _round;
            _lastCall = _time.CreateTimer(_ => OnLastCall(round), null, _options.LastCallTimeout, Timeout.InfiniteTimeSpan);
            LogLastCall(round, _open.Count, _options.LastCallTimeout.TotalSeconds);
        }
        else if (_open.Count < _options.MinNodes)
        {
            _lastCall?.Dispose();
            _lastCall = null;
        }
    }

    private void OnLastCall(long round)
    {
        lock (_lock)
        {
            if (_closed is null && _round == round && _open.Count >= _options.MinNodes)
            {
                CloseLocked();
            }
        }
    }

    private void CloseLocked()
    {
        _lastCall?.Dispose();
        _lastCall = null;
        var participants = _open.Values.Select(j => new RankAssignment.Participant(j.NodeId, j.LocalWorldSize, j.Host)).ToList();
        var nodes = RankAssignment.Assign(participants, _previousRanks);
        var storeNamespace = $"round-{_round}";
        _stores.Replace(storeNamespace);
        var world = new RendezvousWorld(_round, nodes.Sum(n => n.LocalWorldSize), nodes, storeNamespace, _time.GetUtcNow());
        _closed = world;
        _previousRanks = nodes.ToDictionary(n => n.NodeId, n => n.NodeRank, StringComparer.Ordinal);
        var joiners = _open.Values.ToList();
        _open.Clear();

        LogClosed(world.Round, nodes.Count, world.WorldSize, string.Join(", ", nodes.Select(n => $"{n.NodeId}={n.NodeRank}")));
        _hub.Publish(new RoundClosedEvent(world));
        foreach (var joiner in joiners)
        {
            joiner.Completion.TrySetResult(world);
        }
    }

    private void ReopenLocked(string reason)
    {
        var previous = _round;
        _round++;
        _closed = null;
        LogReopened(previous, _round, reason);
        _hub.Publish(new RoundReopenedEvent(_round, previous, reason));

        // Standby nodes were waiting for exactly this: they join the new round first.
        var standby = _standby.ToList();
        _standby.Clear();
        foreach (var joiner in standby.Take(_options.MaxNodes))
        {
            joiner.Round = _round;
            _open[joiner.NodeId] = joiner;
            LogJoined(joiner.NodeId, _round, joiner.LocalWorldSize, _open.Count, _options.MinNodes, _options.MaxNodes);
        }

        _standby.AddRange(standby.Skip(_options.MaxNodes));
        EvaluateLocked();
    }

    private bool Remove(string nodeId, long? round, string reason, bool died)
    {
        lock (_lock)
        {
            if (_closed is { } world && world.Find(nodeId) is not null)
            {
                if (round is { } r && r != world.Round)
                {
                    return false;
                }

                if (died)
                {
                    LogDied(nodeId, world.Round, reason);
                    _hub.Publish(new NodeDiedEvent(world.Round, nodeId, reason));
                }
                else
                {
                    LogLeft(nodeId, world.Round, reason);
                    _hub.Publish(new NodeLeftEvent(world.Round, nodeId, reason));
                }

                ReopenLocked(died ? $"node '{nodeId}' died: {reason}" : $"node '{nodeId}' left: {reason}");
                return true;
            }

            if (round is not null)
            {
                // A death is declared only for a member of a closed round; joiners are alive while their call is.
                return false;
            }

            var joiner = _open.GetValueOrDefault(nodeId) ?? _standby.Find(j => j.NodeId == nodeId);
            if (joiner is null)
            {
                return false;
            }

            LogLeft(nodeId, _round, reason);
            _hub.Publish(new NodeLeftEvent(_round, nodeId, reason));
            Withdraw(joiner, $"it left ({reason})");
            joiner.Completion.TrySetException(new NodeRemovedException(nodeId, $"it left ({reason})"));
            return true;
        }
    }

    // Takes a waiting joiner out of the open round or the standby list (caller holds the lock).
    private void Withdraw(Joiner joiner, string why)
    {
        if (_open.TryGetValue(joiner.NodeId, out var current) && current == joiner && !joiner.Completion.Task.IsCompleted)
        {
            _open.Remove(joiner.NodeId);
            LogWithdrawn(joiner.NodeId, _round, why);
            EvaluateLocked();
        }
        else
        {
            _standby.Remove(joiner);
        }
    }

    private RendezvousSnapshot SnapshotLocked() =>
        _closed is { } world
            ? new RendezvousSnapshot(world.Round, RoundState.Closed, world, world.Nodes.Count)
            : new RendezvousSnapshot(_round, RoundState.Open, null, _open.Count);

    private sealed class Joiner(JoinRequest request, long round)
    {
        public string NodeId { get; } = request.NodeId;

        public int LocalWorldSize { get; } = request.LocalWorldSize;

        public string Host { get; } = request.Host;

        public long Round { get; set; } = round;

        public TaskCompletionSource<RendezvousWorld> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {NodeId} joined round {Round} with {LocalWorldSize} worker(s); {Joined} node(s) waiting (min {MinNodes}, max {MaxNodes})")]
    private partial void LogJoined(string nodeId, long round, int localWorldSize, int joined, int minNodes, int maxNodes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {NodeId} waits for a place: round {Round} is closed and full ({Nodes} nodes)")]
    private partial void LogStandby(string nodeId, long round, int nodes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Round {Round} has {Joined} node(s), the minimum: it closes in {LastCallSeconds} s unless the maximum joins first")]
    private partial void LogLastCall(long round, int joined, double lastCallSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Round {Round} closed with {NodeCount} node(s) and {WorldSize} worker(s): {Ranks}")]
    private partial void LogClosed(long round, int nodeCount, int worldSize, string ranks);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Round {Round} ended; round {NewRound} is open because {Reason}")]
    private partial void LogReopened(long round, long newRound, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {NodeId} of round {Round} is declared dead: {Reason}")]
    private partial void LogDied(string nodeId, long round, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {NodeId} left in round {Round}: {Reason}")]
    private partial void LogLeft(string nodeId, long round, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {NodeId} withdrawn from round {Round}: {Why}")]
    private partial void LogWithdrawn(string nodeId, long round, string why);
}
