using System.Runtime.CompilerServices;
using DistTrain.Protocol.V1;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Stub = DistTrain.Protocol.V1.Coordinator.CoordinatorClient;

namespace DistTrain.Protocol;

/// <summary>
/// A typed client of the coordinator, for agents and training workers, on a Grpc.Net.Client channel.
/// Every call carries the job's token; failures surface as <see cref="RpcException"/> with the
/// coordinator's status and message. Calls that are safe to repeat are retried after UNAVAILABLE
/// (<see cref="CoordinatorServiceConfig"/>). Thread-safe; share one per coordinator.
/// </summary>
public sealed class CoordinatorClient : IDisposable
{
    /// <summary>The metadata key that carries the token.</summary>
    public const string AuthorizationHeader = "authorization";

    /// <summary>
    /// How often a connection with calls open is pinged by default. Joins and watches stay open for
    /// minutes; the pings make them fail with UNAVAILABLE when the coordinator vanishes instead of
    /// hanging. The coordinator (Kestrel) accepts pings at any rate.
    /// </summary>
    public static readonly TimeSpan DefaultKeepAlivePingDelay = TimeSpan.FromSeconds(30);

    /// <summary>How much longer than a blocking store call's own timeout the client waits, so the coordinator's answer (naming the keys) arrives first.</summary>
    private static readonly TimeSpan DeadlineSlack = TimeSpan.FromSeconds(5);

    private readonly GrpcChannel? _channel;

    /// <summary>Creates a client of the coordinator at <paramref name="address"/> (for example <c>http://10.0.0.1:29400</c>, or https:// for TLS).</summary>
    /// <param name="address">The coordinator's address.</param>
    /// <param name="token">The job's token, sent as <c>authorization: Bearer &lt;token&gt;</c> with every call.</param>
    /// <param name="configure">
    /// Changes the channel's options after the client's defaults are set: an HTTP/2 handler with
    /// keep-alive pings every <see cref="DefaultKeepAlivePingDelay"/> and no proxy, and the retry
    /// policy of <see cref="CoordinatorServiceConfig.Create"/>. Replace <see cref="GrpcChannelOptions.HttpHandler"/>
    /// to trust a private CA or to present a client certificate.
    /// </param>
    /// <exception cref="ArgumentException">The address is not an http(s) URI, or the token is empty.</exception>
    public CoordinatorClient(string address, string token, Action<GrpcChannelOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        _channel = CoordinatorChannel.Create(address, configure);
        var bearer = $"Bearer {token}";
        CallInvoker = _channel.Intercept(headers =>
        {
            headers.Add(AuthorizationHeader, bearer);
            return headers;
        });
        Stub = new Stub(CallInvoker);
    }

    /// <summary>Creates a client over a call invoker the caller owns, which must add the token to every call.</summary>
    public CoordinatorClient(CallInvoker callInvoker)
    {
        ArgumentNullException.ThrowIfNull(callInvoker);
        CallInvoker = callInvoker;
        Stub = new Stub(callInvoker);
    }

    /// <summary>What every call goes through (the channel, with the token added).</summary>
    public CallInvoker CallInvoker { get; }

    /// <summary>The client stub Grpc.Tools generated from coordinator.proto.</summary>
    internal Stub Stub { get; }

    /// <summary>
    /// Joins the next round and waits until it closes (at most the coordinator's join timeout, or
    /// <paramref name="timeout"/> if given). With a timeout, the call also waits for a coordinator that
    /// is not up yet (gRPC's wait-for-ready) until the timeout ends; without one it fails with
    /// UNAVAILABLE once the retries are spent. A retried join gets the same world.
    /// </summary>
    /// <param name="nodeId">The node's stable id.</param>
    /// <param name="localWorldSize">How many workers the node runs.</param>
    /// <param name="host">Where other nodes reach this one; empty: the address the coordinator sees.</param>
    /// <param name="knownRound">The last round this node received a world for (0 if none).</param>
    /// <param name="timeout">How long to wait at most; null: the coordinator's join timeout.</param>
    /// <param name="cancellationToken">Cancels the join; the coordinator withdraws the node.</param>
    /// <returns>The world every participant of the round received.</returns>
    /// <exception cref="RpcException">DEADLINE_EXCEEDED when no round closed in time; see the proto for the others.</exception>
    public async Task<World> JoinAsync(
        string nodeId, int localWorldSize, string host = "", ulong knownRound = 0, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var request = new JoinRequest { NodeId = nodeId, LocalWorldSize = localWorldSize, Host = host, KnownRound = knownRound };
        var options = Options(timeout, cancellationToken).WithWaitForReady(timeout is not null);
        var response = await Stub.JoinAsync(request, options).ConfigureAwait(false);
        return response.World;
    }

    /// <summary>Leaves the job for good; returns whether the coordinator knew the node.</summary>
    /// <exception cref="RpcException">The call failed.</exception>
    public async Task<bool> LeaveAsync(string nodeId, string reason, CancellationToken cancellationToken = default)
    {
        var response = await Stub.LeaveAsync(new LeaveRequest { NodeId = nodeId, Reason = reason }, Options(null, cancellationToken)).ConfigureAwait(false);
        return response.WasMember;
    }

    /// <summary>Says that <paramref name="nodeId"/>, running <paramref name="round"/>, is alive; the answer says whether it must join again.</summary>
    /// <exception cref="RpcException">The call failed or outlived <paramref name="timeout"/>.</exception>
    public async Task<HeartbeatResponse> HeartbeatAsync(string nodeId, ulong round, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        await Stub.HeartbeatAsync(new HeartbeatRequest { NodeId = nodeId, Round = round }, Options(timeout, cancellationToken)).ConfigureAwait(false);

    /// <summary>
    /// Streams membership events: first a snapshot of the current state, then every round that
    /// closes or reopens and every node that dies or leaves, until <paramref name="cancellationToken"/>
    /// is cancelled (the enumeration then throws <see cref="RpcException"/> with CANCELLED) or the loop
    /// stops early (which cancels the call on the coordinator).
    /// </summary>
    public IAsyncEnumerable<WatchEvent> WatchAsync(string nodeId = "", CancellationToken cancellationToken = default) =>
        StreamAsync(new WatchRequest { NodeId = nodeId }, cancellationToken);

    /// <summary>The key-value store of one namespace (a world's <see cref="World.StoreNamespace"/>).</summary>
    public CoordinatorStoreClient Store(string storeNamespace) => new(this, storeNamespace);

    /// <summary>The data plans of the job's datasets (data_plan.proto).</summary>
    public CoordinatorDataPlanClient DataPlans => new(this);

    /// <summary>The coordinator's checkpoint registry (checkpoint.proto): begin, report, latest.</summary>
    public CoordinatorCheckpointClient Checkpoints => new(this);

    /// <summary>The coordinator's telemetry (telemetry.proto): report, report a failure, the live view.</summary>
    public CoordinatorTelemetryClient Telemetry => new(this);

    /// <summary>Closes the channel if this client created it; calls still open fail.</summary>
    public void Dispose() => _channel?.Dispose();

    /// <summary>The options of a call that may take <paramref name="timeout"/> at most (null: no deadline).</summary>
    internal static CallOptions Options(TimeSpan? timeout, CancellationToken cancellationToken)
    {
        DateTime? deadline = null;
        if (timeout is { } t && t < TimeSpan.FromDays(3650))
        {
            deadline = DateTime.UtcNow + (t < TimeSpan.Zero ? TimeSpan.Zero : t);
        }

        return new CallOptions(deadline: deadline, cancellationToken: cancellationToken);
    }

    /// <summary>The client deadline of a call that waits on the server for up to <paramref name="serverTimeout"/>.</summary>
    internal static TimeSpan? BlockingDeadline(TimeSpan? serverTimeout) => serverTimeout + DeadlineSlack;

    private async IAsyncEnumerable<WatchEvent> StreamAsync(
        WatchRequest request, CancellationToken callToken, [EnumeratorCancellation] CancellationToken enumerationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(callToken, enumerationToken);
        using var call = Stub.Watch(request, Options(null, linked.Token));
        while (await call.ResponseStream.MoveNext(linked.Token).ConfigureAwait(false))
        {
            yield return call.ResponseStream.Current;
        }
    }
}
