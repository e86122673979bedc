using DistTrain.Protocol.V1;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace DistTrain.Coordinator.Service;

/// <summary>
/// A <see cref="JoinResponse"/> whose world is serialized already. Every participant of a round
/// receives the same world (about 33 KB for 1,024 nodes); serializing it once per round instead of
/// once per node halves the coordinator's CPU time when a large round closes. On the wire it is
/// exactly a JoinResponse (field 1, length-delimited); it exists only to be sent, never parsed.
/// </summary>
internal sealed class SerializedJoinResponse : IMessage<SerializedJoinResponse>, IBufferMessage
{
    private const byte WorldTag = 10; // field 1, wire type 2

    private readonly ByteString _world;

    /// <summary>An empty response (the RPC layer needs a parameterless constructor).</summary>
    public SerializedJoinResponse()
        : this(ByteString.Empty)
    {
    }

    private SerializedJoinResponse(ByteString world) => _world = world;

    /// <summary>Serializes <paramref name="world"/> once.</summary>
    public static SerializedJoinResponse For(World world) => new(world.ToByteString());

    /// <summary>The descriptor of <see cref="JoinResponse"/>, which this message is on the wire.</summary>
    public MessageDescriptor Descriptor => JoinResponse.Descriptor;

    public int CalculateSize() => _world.IsEmpty ? 0 : 1 + CodedOutputStream.ComputeBytesSize(_world);

    public void WriteTo(CodedOutputStream output)
    {
        if (!_world.IsEmpty)
        {
            output.WriteRawTag(WorldTag);
            output.WriteBytes(_world);
        }
    }

    void IBufferMessage.InternalWriteTo(ref WriteContext output)
    {
        if (!_world.IsEmpty)
        {
            output.WriteRawTag(WorldTag);
            output.WriteBytes(_world);
        }
    }

    public void MergeFrom(CodedInputStream input) => throw NotParsable();

    void IBufferMessage.InternalMergeFrom(ref ParseContext ctx) => throw NotParsable();

    public void MergeFrom(SerializedJoinResponse message) => throw NotParsable();

    public SerializedJoinResponse Clone() => new(_world);

    public bool Equals(SerializedJoinResponse? other) => other is not null && _world.Equals(other._world);

    public override bool Equals(object? obj) => Equals(obj as SerializedJoinResponse);

    public override int GetHashCode() => _world.GetHashCode();

    private static NotSupportedException NotParsable() =>
        new("SerializedJoinResponse is only sent; parse a JoinResponse instead.");
}
