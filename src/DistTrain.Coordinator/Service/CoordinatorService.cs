using DistTrain.Coordinator.Membership;
using DistTrain.Coordinator.Rendezvous;
using DistTrain.Coordinator.Store;
using DistTrain.Protocol;
using DistTrain.Protocol.V1;
using DistTrain.Rpc;
using Microsoft.Extensions.Options;
using static DistTrain.Coordinator.Service.StatusMapping;
using DomainJoin = DistTrain.Coordinator.Rendezvous.JoinRequest;

namespace DistTrain.Coordinator.Service;

/// <summary>
/// The gRPC handlers of <c>disttrain.v1.Coordinator</c>: each checks its request, calls the domain
/// and maps the outcome (see <see cref="StatusMapping"/>).
/// </summary>
internal sealed class CoordinatorService(
    IRendezvous rendezvous, IHeartbeatMonitor monitor, IStoreNamespaces stores, IOptions<CoordinatorOptions> options)
{
    private readonly HeartbeatOptions _heartbeat = options.Value.Heartbeat;
    private readonly StoreOptions _store = options.Value.Store;

    private SerializedWorld? _lastWorld;

    /// <summary><c>Join</c>, answered with a world serialized once per round (see <see cref="SerializedJoinResponse"/>).</summary>
    private static readonly RpcMethod<Protocol.V1.JoinRequest, SerializedJoinResponse> JoinSerialized =
        RpcMethod.Unary<Protocol.V1.JoinRequest, SerializedJoinResponse>(CoordinatorMethods.Service, "Join");

    /// <summary>The longest wait a store call may ask for.</summary>
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(1);

    /// <summary>Registers every handler on <paramref name="builder"/>.</summary>
    public void Register(RpcServiceBuilder builder) => builder
        .Unary(JoinSerialized, JoinAsync)
        .Unary(CoordinatorMethods.Leave, (r, _) => Task.FromResult(new LeaveResponse { WasMember = rendezvous.Leave(RequireNodeId(r.NodeId), r.Reason) }))
        .Unary(CoordinatorMethods.Heartbeat, HeartbeatAsync)
        .ServerStreaming(CoordinatorMethods.Watch, WatchAsync)
        .Unary(CoordinatorMethods.StoreSet, (r, _) => Map(() =>
        {
            Namespace(r.Namespace).Set(RequireKey(r.Key), r.Value.Span);
            return new StoreSetResponse();
        }))
        .Unary(CoordinatorMethods.StoreGet, (r, c) => WaitingAsync(c, async cancellationToken =>
        {
            var value = await Namespace(r.Namespace).GetAsync(RequireKey(r.Key), Timeout(r.Timeout), cancellationToken).ConfigureAwait(false);
            return new StoreGetResponse { Value = Google.Protobuf.ByteString.CopyFrom(value.Span) };
        }))
        .Unary(CoordinatorMethods.StoreAdd, (r, _) => Map(() => new StoreAddResponse { Value = Namespace(r.Namespace).Add(RequireKey(r.Key), r.Delta) }))
        .Unary(CoordinatorMethods.StoreCompareSet, (r, _) => Map(() =>
        {
            var result = Namespace(r.Namespace).CompareSet(RequireKey(r.Key), r.Expected.Span, r.Desired.Span);
            return new StoreCompareSetResponse { Value = Google.Protobuf.ByteString.CopyFrom(result.Value.Span), Swapped = result.Swapped, Exists = result.Exists };
        }))
        .Unary(CoordinatorMethods.StoreDelete, (r, _) => Map(() => new StoreDeleteResponse { Existed = Namespace(r.Namespace).Delete(RequireKey(r.Key)) }))
        .Unary(CoordinatorMethods.StoreCheck, (r, _) => Map(() => new StoreCheckResponse { AllExist = Namespace(r.Namespace).Check(RequireKeys(r.Keys)) }))
        .Unary(CoordinatorMethods.StoreWait, (r, c) => WaitingAsync(c, async cancellationToken =>
        {
            await Namespace(r.Namespace).WaitAsync(RequireKeys(r.Keys), Timeout(r.Timeout), cancellationToken).ConfigureAwait(false);
            return new StoreWaitResponse();
        }))
        .Unary(CoordinatorMethods.StoreNumKeys, (r, _) => Map(() => new StoreNumKeysResponse { Count = Namespace(r.Namespace).Count }));

    private Task<SerializedJoinResponse> JoinAsync(Protocol.V1.JoinRequest request, RpcCallContext context) => WaitingAsync(context, async cancellationToken =>
    {
        var host = request.Host.Length > 0 ? request.Host : HostOf(context.Peer);
        var join = new DomainJoin(request.NodeId, request.LocalWorldSize, host, ToRound(request.KnownRound));
        var world = await rendezvous.JoinAsync(join, cancellationToken).ConfigureAwait(false);
        return WorldResponse(world);
    });

    private Task<HeartbeatResponse> HeartbeatAsync(HeartbeatRequest request, RpcCallContext context)
    {
        var result = monitor.Heartbeat(RequireNodeId(request.NodeId), ToRound(request.Round));
        return Task.FromResult(new HeartbeatResponse
        {
            CurrentRound = (ulong)result.CurrentRound,
            State = result.State.ToProto(),
            RejoinRequired = result.RejoinRequired,
        });
    }

    private Task WatchAsync(WatchRequest request, IRpcStreamWriter<WatchEvent> writer, RpcCallContext context) => WaitingAsync(context, async cancellationToken =>
    {
        using var subscription = rendezvous.Watch();
        await writer.WriteAsync(subscription.Snapshot.ToProto(_heartbeat), cancellationToken).ConfigureAwait(false);
        await foreach (var membershipEvent in subscription.Events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            await writer.WriteAsync(membershipEvent.ToProto(_heartbeat), cancellationToken).ConfigureAwait(false);
        }

        return true;
    });

    // A call that may wait long ends when the caller goes; the RPC layer also cancels it (UNAVAILABLE) when the host stops.
    private static Task<T> WaitingAsync<T>(RpcCallContext context, Func<CancellationToken, Task<T>> action) =>
        MapAsync(() => action(context.CancellationToken));

    // Every participant of a round receives the same world: serialize it once per round, not once per node.
    private SerializedJoinResponse WorldResponse(RendezvousWorld world)
    {
        var cached = Volatile.Read(ref _lastWorld);
        if (cached is not null && ReferenceEquals(cached.Domain, world))
        {
            return cached.Response;
        }

        var response = SerializedJoinResponse.For(world.ToProto(_heartbeat));
        Volatile.Write(ref _lastWorld, new SerializedWorld(world, response));
        return response;
    }

    private sealed record SerializedWorld(RendezvousWorld Domain, SerializedJoinResponse Response);

    private IKeyValueStore Namespace(string name) =>
        name.Length > 0 ? stores.Get(name) : throw Invalid("The store namespace must not be empty; use the store_namespace of the world your node holds.");

    private string RequireKey(string key)
    {
        if (key.Length == 0)
        {
            throw Invalid("The key must not be empty.");
        }

        if (key.Length > _store.MaxKeyLength)
        {
            throw Invalid($"The key is {key.Length} characters long; at most {_store.MaxKeyLength} are allowed.");
        }

        return key;
    }

    private IReadOnlyCollection<string> RequireKeys(IReadOnlyCollection<string> keys)
    {
        foreach (var key in keys)
        {
            RequireKey(key);
        }

        return keys;
    }

    private static string RequireNodeId(string nodeId) =>
        string.IsNullOrWhiteSpace(nodeId) ? throw Invalid("The node id must not be empty.") : nodeId;

    private TimeSpan Timeout(Google.Protobuf.WellKnownTypes.Duration? timeout)
    {
        if (timeout is null)
        {
            return _store.DefaultTimeout;
        }

        if (timeout.Seconds < 0 || timeout.Nanos is < 0 or > 999_999_999 || timeout.Seconds > MaxTimeout.TotalSeconds)
        {
            throw Invalid($"The timeout ({timeout.Seconds} s, {timeout.Nanos} ns) must be a non-negative duration of at most {MaxTimeout.TotalSeconds} s.");
        }

        var span = timeout.ToTimeSpan();
        return span <= MaxTimeout ? span : throw Invalid($"The timeout ({span}) must be at most {MaxTimeout}.");
    }

    private static long ToRound(ulong round) => round > long.MaxValue ? long.MaxValue : (long)round;

    // "ipv4:10.0.0.5:41234" → "10.0.0.5"; "ipv6:[::1]:41234" → "::1".
    private static string HostOf(string peer)
    {
        var address = peer.StartsWith("ipv4:", StringComparison.Ordinal) || peer.StartsWith("ipv6:", StringComparison.Ordinal) ? peer[5..] : peer;
        var colon = address.LastIndexOf(':');
        return (colon > 0 ? address[..colon] : address).Trim('[', ']');
    }
}
