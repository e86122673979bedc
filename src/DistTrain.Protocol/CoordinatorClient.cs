using DistTrain.Protocol.V1;
using DistTrain.Rpc;

namespace DistTrain.Protocol;

/// <summary>
/// A typed client of the coordinator, for agents and training workers. Every call carries the job's
/// token; failures surface as <see cref="RpcException"/> with the coordinator's status and message.
/// Thread-safe; share one per coordinator.
/// </summary>
public sealed class CoordinatorClient : IDisposable
{
    /// <summary>How much longer than a blocking store call's own timeout the client waits, so the coordinator's answer (naming the keys) arrives first.</summary>
    private static readonly TimeSpan DeadlineSlack = TimeSpan.FromSeconds(5);

    private readonly bool _ownsChannel;

    /// <summary>
    /// How often an idle connection is pinged when no options are given. Joins and watches stay open
    /// for minutes; the pings make them fail with UNAVAILABLE when the coordinator vanishes instead of
    /// hanging. The coordinator (Kestrel) accepts pings at any rate.
    /// </summary>
    public static readonly TimeSpan DefaultKeepAlivePingDelay = TimeSpan.FromSeconds(30);

    /// <summary>Creates a client of the coordinator at <paramref name="address"/> (for example <c>http://10.0.0.1:29400</c>).</summary>
    /// <param name="address">The coordinator's address.</param>
    /// <param name="token">The job's token, sent as <c>authorization: Bearer &lt;token&gt;</c> with every call.</param>
    /// <param name="options">Channel settings; the token is added to their default metadata. Null: defaults, with keep-alive pings every <see cref="DefaultKeepAlivePingDelay"/>.</param>
    /// <exception cref="ArgumentException">The address is not an http(s) URI, or the token is empty.</exception>
    public CoordinatorClient(string address, string token, RpcChannelOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        var metadata = new RpcMetadata();
        if (options is not null)
        {
            metadata.AddRange(options.DefaultMetadata);
        }

        metadata.Add(AuthorizationHeader, $"Bearer {token}");
        Channel = RpcChannel.ForAddress(address, new RpcChannelOptions
        {
            DefaultMetadata = metadata,
            MaxReceiveMessageSize = options?.MaxReceiveMessageSize ?? RpcServerOptions.DefaultMaxMessageSize,
            MaxSendMessageSize = options?.MaxSendMessageSize ?? int.MaxValue,
            RetryPolicy = options?.RetryPolicy ?? new RpcRetryPolicy(),
            ConnectTimeout = options?.ConnectTimeout ?? TimeSpan.FromSeconds(10),
            KeepAlivePingDelay = options is null ? DefaultKeepAlivePingDelay : options.KeepAlivePingDelay,
            KeepAlivePingTimeout = options?.KeepAlivePingTimeout ?? TimeSpan.FromSeconds(20),
            HttpHandler = options?.HttpHandler,
        });
        _ownsChannel = true;
    }

    /// <summary>Creates a client over a channel the caller owns and has given the token (as default metadata).</summary>
    public CoordinatorClient(RpcChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        Channel = channel;
    }

    /// <summary>The metadata key that carries the token.</summary>
    public const string AuthorizationHeader = "authorization";

    /// <summary>The channel calls go through.</summary>
    public RpcChannel Channel { get; }

    /// <summary>
    /// Joins the next round and waits until it closes (at most the coordinator's join timeout, or
    /// <paramref name="timeout"/> if given). Retries after UNAVAILABLE are safe: a retried join gets
    /// the same world.
    /// </summary>
    /// <param name="nodeId">The node's stable id.</param>
    /// <param name="localWorldSize">How many workers the node runs.</param>
    /// <param name="host">Where other nodes reach this one; empty: the address the coordinator sees.</param>
    /// <param name="knownRound">The last round this node received a world for (0 if none).</param>
    /// <param name="timeout">How long to wait at most; null: the coordinator's join timeout.</param>
    /// <param name="cancellationToken">Cancels the join; the coordinator withdraws the node.</param>
    /// <returns>The world every participant of the round received.</returns>
    public async Task<World> JoinAsync(
        string nodeId, int localWorldSize, string host = "", ulong knownRound = 0, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var request = new JoinRequest { NodeId = nodeId, LocalWorldSize = localWorldSize, Host = host, KnownRound = knownRound };
        var response = await Channel.UnaryAsync(CoordinatorMethods.Join, request, Options(timeout, cancellationToken, idempotent: true)).ConfigureAwait(false);
        return response.World;
    }

    /// <summary>Leaves the job for good; returns whether the coordinator knew the node.</summary>
    public async Task<bool> LeaveAsync(string nodeId, string reason, CancellationToken cancellationToken = default)
    {
        var request = new LeaveRequest { NodeId = nodeId, Reason = reason };
        var response = await Channel.UnaryAsync(CoordinatorMethods.Leave, request, Options(null, cancellationToken, idempotent: true)).ConfigureAwait(false);
        return response.WasMember;
    }

    /// <summary>Says that <paramref name="nodeId"/>, running <paramref name="round"/>, is alive; the answer says whether it must join again.</summary>
    public Task<HeartbeatResponse> HeartbeatAsync(string nodeId, ulong round, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        Channel.UnaryAsync(CoordinatorMethods.Heartbeat, new HeartbeatRequest { NodeId = nodeId, Round = round }, Options(timeout, cancellationToken, idempotent: true));

    /// <summary>
    /// Streams membership events: first a snapshot of the current state, then every round that
    /// closes or reopens and every node that dies or leaves, until <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public IAsyncEnumerable<WatchEvent> WatchAsync(string nodeId = "", CancellationToken cancellationToken = default) =>
        Channel.ServerStreaming(CoordinatorMethods.Watch, new WatchRequest { NodeId = nodeId }, Options(null, cancellationToken, idempotent: true));

    /// <summary>The key-value store of one namespace (a world's <see cref="World.StoreNamespace"/>).</summary>
    public CoordinatorStoreClient Store(string storeNamespace) => new(this, storeNamespace);

    /// <summary>Closes the channel if this client created it.</summary>
    public void Dispose()
    {
        if (_ownsChannel)
        {
            Channel.Dispose();
        }
    }

    internal static RpcCallOptions Options(TimeSpan? timeout, CancellationToken cancellationToken, bool idempotent) =>
        new() { Timeout = timeout, CancellationToken = cancellationToken, Idempotent = idempotent };

    /// <summary>The client deadline of a call that waits on the server for up to <paramref name="serverTimeout"/>.</summary>
    internal static TimeSpan? BlockingDeadline(TimeSpan? serverTimeout) => serverTimeout + DeadlineSlack;
}
