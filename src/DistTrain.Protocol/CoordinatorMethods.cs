using DistTrain.Protocol.V1;
using DistTrain.Rpc;
using Google.Protobuf.Reflection;

namespace DistTrain.Protocol;

/// <summary>
/// The methods of <c>disttrain.v1.Coordinator</c>, checked against the proto once; the server maps
/// them and <see cref="CoordinatorClient"/> calls them.
/// </summary>
public static class CoordinatorMethods
{
    /// <summary>The service's descriptor, from coordinator.proto.</summary>
    public static ServiceDescriptor Service { get; } = CoordinatorReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Coordinator");

    /// <summary><c>Join</c>: join the next round and wait for its world.</summary>
    public static RpcMethod<JoinRequest, JoinResponse> Join { get; } = RpcMethod.Unary<JoinRequest, JoinResponse>(Service, "Join");

    /// <summary><c>Leave</c>: leave the job for good.</summary>
    public static RpcMethod<LeaveRequest, LeaveResponse> Leave { get; } = RpcMethod.Unary<LeaveRequest, LeaveResponse>(Service, "Leave");

    /// <summary><c>Heartbeat</c>: say "alive".</summary>
    public static RpcMethod<HeartbeatRequest, HeartbeatResponse> Heartbeat { get; } = RpcMethod.Unary<HeartbeatRequest, HeartbeatResponse>(Service, "Heartbeat");

    /// <summary><c>Watch</c>: stream membership events.</summary>
    public static RpcMethod<WatchRequest, WatchEvent> Watch { get; } = RpcMethod.ServerStreaming<WatchRequest, WatchEvent>(Service, "Watch");

    /// <summary><c>StoreSet</c>.</summary>
    public static RpcMethod<StoreSetRequest, StoreSetResponse> StoreSet { get; } = RpcMethod.Unary<StoreSetRequest, StoreSetResponse>(Service, "StoreSet");

    /// <summary><c>StoreGet</c>.</summary>
    public static RpcMethod<StoreGetRequest, StoreGetResponse> StoreGet { get; } = RpcMethod.Unary<StoreGetRequest, StoreGetResponse>(Service, "StoreGet");

    /// <summary><c>StoreAdd</c>.</summary>
    public static RpcMethod<StoreAddRequest, StoreAddResponse> StoreAdd { get; } = RpcMethod.Unary<StoreAddRequest, StoreAddResponse>(Service, "StoreAdd");

    /// <summary><c>StoreCompareSet</c>.</summary>
    public static RpcMethod<StoreCompareSetRequest, StoreCompareSetResponse> StoreCompareSet { get; } =
        RpcMethod.Unary<StoreCompareSetRequest, StoreCompareSetResponse>(Service, "StoreCompareSet");

    /// <summary><c>StoreDelete</c>.</summary>
    public static RpcMethod<StoreDeleteRequest, StoreDeleteResponse> StoreDelete { get; } = RpcMethod.Unary<StoreDeleteRequest, StoreDeleteResponse>(Service, "StoreDelete");

    /// <summary><c>StoreCheck</c>.</summary>
    public static RpcMethod<StoreCheckRequest, StoreCheckResponse> StoreCheck { get; } = RpcMethod.Unary<StoreCheckRequest, StoreCheckResponse>(Service, "StoreCheck");

    /// <summary><c>StoreWait</c>.</summary>
    public static RpcMethod<StoreWaitRequest, StoreWaitResponse> StoreWait { get; } = RpcMethod.Unary<StoreWaitRequest, StoreWaitResponse>(Service, "StoreWait");

    /// <summary><c>StoreNumKeys</c>.</summary>
    public static RpcMethod<StoreNumKeysRequest, StoreNumKeysResponse> StoreNumKeys { get; } =
        RpcMethod.Unary<StoreNumKeysRequest, StoreNumKeysResponse>(Service, "StoreNumKeys");
}
