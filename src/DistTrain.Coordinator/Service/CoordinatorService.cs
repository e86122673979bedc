using DistTrain.Coordinator.Checkpoints;
using DistTrain.Coordinator.DataPlan;
using DistTrain.Coordinator.Membership;
using DistTrain.Coordinator.Rendezvous;
using DistTrain.Coordinator.Store;
using DistTrain.Coordinator.Telemetry;
using DistTrain.Protocol.V1;
using Google.Protobuf;
using Grpc.Core;
using Duration = Google.Protobuf.WellKnownTypes.Duration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static DistTrain.Coordinator.Service.StatusMapping;
using DomainJoin = DistTrain.Coordinator.Rendezvous.JoinRequest;
using JoinRequest = DistTrain.Protocol.V1.JoinRequest;

using GeneratedCoordinator = DistTrain.Protocol.V1.Coordinator;

namespace DistTrain.Coordinator.Service;

/// <summary>
/// The handlers of <c>disttrain.v1.Coordinator</c>, on the base Grpc.Tools generated: each checks its
/// request and calls the domain (the data plan's in <c>CoordinatorService.DataPlan.cs</c>, the checkpoints' in <c>CoordinatorService.Checkpoints.cs</c>, telemetry's in <c>CoordinatorService.Telemetry.cs</c>); <see cref="StatusInterceptor"/> turns what they throw into statuses.
/// <c>Join</c> is not an override: it answers with a world serialized once per round, and
/// <see cref="CoordinatorServiceDefinition"/> binds it with its own marshaller.
/// </summary>
internal sealed partial class CoordinatorService(
    IRendezvous rendezvous, IHeartbeatMonitor monitor, IStoreNamespaces stores, IDataPlans dataPlans, ICheckpointRegistry checkpoints,
    ITelemetrySink telemetry, ITelemetryView telemetryView, WorldResponses worlds, IOptions<CoordinatorOptions> options,
    ILogger<CoordinatorService> logger)
    : GeneratedCoordinator.CoordinatorBase
{
    /// <summary>The longest wait a store call may ask for.</summary>
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(1);

    private readonly HeartbeatOptions _heartbeat = options.Value.Heartbeat;
    private readonly StoreOptions _store = options.Value.Store;
    private readonly int _telemetryIntervalMs = (int)Math.Min(int.MaxValue, options.Value.Telemetry.ReportInterval.TotalMilliseconds);

    /// <summary><c>Join</c>: waits for the round to close; the world is serialized once for all its joiners.</summary>
    public async Task<SerializedJoinResponse> JoinAsync(JoinRequest request, ServerCallContext context)
    {
        var host = request.Host.Length > 0 ? request.Host : HostOf(context.Peer);
        var join = new DomainJoin(request.NodeId, request.LocalWorldSize, host, ToRound(request.KnownRound));
        var world = await rendezvous.JoinAsync(join, context.CancellationToken).ConfigureAwait(false);
        return worlds.For(world);
    }

    /// <inheritdoc />
    public override Task<LeaveResponse> Leave(LeaveRequest request, ServerCallContext context) =>
        Task.FromResult(new LeaveResponse { WasMember = rendezvous.Leave(RequireNodeId(request.NodeId), request.Reason) });

    /// <inheritdoc />
    public override Task<HeartbeatResponse> Heartbeat(HeartbeatRequest request, ServerCallContext context)
    {
        var result = monitor.Heartbeat(RequireNodeId(request.NodeId), ToRound(request.Round));
        return Task.FromResult(new HeartbeatResponse
        {
            CurrentRound = (ulong)result.CurrentRound,
            State = result.State.ToProto(),
            RejoinRequired = result.RejoinRequired,
        });
    }

    /// <inheritdoc />
    public override async Task Watch(WatchRequest request, IServerStreamWriter<WatchEvent> responseStream, ServerCallContext context)
    {
        using var subscription = rendezvous.Watch();
        logger.LogDebug("Watch stream opened by {Watcher} ({Peer}).", request.NodeId.Length > 0 ? request.NodeId : "an observer", context.Peer);
        var snapshot = subscription.Snapshot.ToProto(_heartbeat);
        if (subscription.Snapshot.World is { } world)
        {
            snapshot.Snapshot.Silence.AddRange(world.Nodes.Select(n => new NodeSilence { NodeId = n.NodeId, SilentFor = Duration.FromTimeSpan(monitor.SilentFor(n.NodeId, world)) }));
        }

        await responseStream.WriteAsync(snapshot, context.CancellationToken).ConfigureAwait(false);
        await foreach (var membershipEvent in subscription.Events.ReadAllAsync(context.CancellationToken).ConfigureAwait(false))
        {
            await responseStream.WriteAsync(membershipEvent.ToProto(_heartbeat), context.CancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override Task<StoreSetResponse> StoreSet(StoreSetRequest request, ServerCallContext context)
    {
        Namespace(request.Namespace).Set(RequireKey(request.Key), request.Value.Span);
        return Task.FromResult(new StoreSetResponse());
    }

    /// <inheritdoc />
    public override async Task<StoreGetResponse> StoreGet(StoreGetRequest request, ServerCallContext context)
    {
        var value = await Namespace(request.Namespace).GetAsync(RequireKey(request.Key), Timeout(request.Timeout), context.CancellationToken).ConfigureAwait(false);
        return new StoreGetResponse { Value = ByteString.CopyFrom(value.Span) };
    }

    /// <inheritdoc />
    public override Task<StoreAddResponse> StoreAdd(StoreAddRequest request, ServerCallContext context) =>
        Task.FromResult(new StoreAddResponse { Value = Namespace(request.Namespace).Add(RequireKey(request.Key), request.Delta) });

    /// <inheritdoc />
    public override Task<StoreCompareSetResponse> StoreCompareSet(StoreCompareSetRequest request, ServerCallContext context)
    {
        var result = Namespace(request.Namespace).CompareSet(RequireKey(request.Key), request.Expected.Span, request.Desired.Span);
        return Task.FromResult(new StoreCompareSetResponse { Value = ByteString.CopyFrom(result.Value.Span), Swapped = result.Swapped, Exists = result.Exists });
    }

    /// <inheritdoc />
    public override Task<StoreDeleteResponse> StoreDelete(StoreDeleteRequest request, ServerCallContext context) =>
        Task.FromResult(new StoreDeleteResponse { Existed = Namespace(request.Namespace).Delete(RequireKey(request.Key)) });

    /// <inheritdoc />
    public override Task<StoreCheckResponse> StoreCheck(StoreCheckRequest request, ServerCallContext context) =>
        Task.FromResult(new StoreCheckResponse { AllExist = Namespace(request.Namespace).Check(RequireKeys(request.Keys)) });

    /// <inheritdoc />
    public override async Task<StoreWaitResponse> StoreWait(StoreWaitRequest request, ServerCallContext context)
    {
        await Namespace(request.Namespace).WaitAsync(RequireKeys(request.Keys), Timeout(request.Timeout), context.CancellationToken).ConfigureAwait(false);
        return new StoreWaitResponse();
    }

    /// <inheritdoc />
    public override Task<StoreNumKeysResponse> StoreNumKeys(StoreNumKeysRequest request, ServerCallContext context) =>
        Task.FromResult(new StoreNumKeysResponse { Count = Namespace(request.Namespace).Count });

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
