using DistTrain.Protocol.V1;
using Google.Protobuf;
using Grpc.Core;

using GeneratedCoordinator = DistTrain.Protocol.V1.Coordinator;

namespace DistTrain.Coordinator.Service;

/// <summary>
/// A <see cref="JoinResponse"/> serialized already. Every participant of a round receives the same
/// world (about 33 KB for 1,024 nodes); serializing it once per round instead of once per node saves
/// the coordinator most of its CPU time when a large round closes. The coordinator's <c>Join</c> is bound
/// with <see cref="JoinMethod"/>, whose marshaller writes these bytes as they are: on the wire it is
/// exactly a JoinResponse.
/// </summary>
internal sealed class SerializedJoinResponse
{
    private SerializedJoinResponse(byte[] bytes) => Bytes = bytes;

    /// <summary><c>disttrain.v1.Coordinator/Join</c>, answered with a <see cref="SerializedJoinResponse"/>.</summary>
    public static Method<JoinRequest, SerializedJoinResponse> JoinMethod { get; } = new(
        MethodType.Unary,
        GeneratedCoordinator.Descriptor.FullName,
        "Join",
        Marshallers.Create<JoinRequest>(
            (request, context) => context.Complete(request.ToByteArray()),
            context => JoinRequest.Parser.ParseFrom(context.PayloadAsReadOnlySequence())),
        Marshallers.Create<SerializedJoinResponse>(
            (response, context) => context.Complete(response.Bytes),
            _ => throw new NotSupportedException("A SerializedJoinResponse is only sent; parse a JoinResponse instead.")));

    /// <summary>The serialized JoinResponse.</summary>
    public byte[] Bytes { get; }

    /// <summary>Serializes the response that carries <paramref name="world"/>, once.</summary>
    public static SerializedJoinResponse For(World world) => new(new JoinResponse { World = world }.ToByteArray());
}
