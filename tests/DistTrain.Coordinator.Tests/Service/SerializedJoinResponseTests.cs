using DistTrain.Coordinator.Service;
using DistTrain.Protocol.V1;
using Google.Protobuf;

namespace DistTrain.Coordinator.Tests.Service;

public sealed class SerializedJoinResponseTests
{
    private static World SampleWorld()
    {
        var world = new World { Round = 3, WorldSize = 16, StoreNamespace = "round-3", HeartbeatMisses = 3 };
        for (var i = 0; i < 2; i++)
        {
            world.Nodes.Add(new NodeAssignment { NodeId = $"n{i}", NodeRank = i, BaseRank = 8 * i, LocalWorldSize = 8, Host = $"h{i}" });
        }

        return world;
    }

    [Fact]
    public void Serialized_response_has_exactly_the_bytes_of_a_join_response()
    {
        var world = SampleWorld();

        var bytes = SerializedJoinResponse.For(world).ToByteArray();

        Assert.Equal(new JoinResponse { World = world }.ToByteArray(), bytes);
        Assert.Equal(world, JoinResponse.Parser.ParseFrom(bytes).World);
    }

    [Fact]
    public void Serialized_response_reports_its_size_and_writes_through_a_coded_stream_too()
    {
        var response = SerializedJoinResponse.For(SampleWorld());
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);

        response.WriteTo(output);
        output.Flush();

        Assert.Equal(response.CalculateSize(), buffer.Length);
        Assert.Equal(response.ToByteArray(), buffer.ToArray());
    }

    [Fact]
    public void Serialized_response_refuses_to_be_parsed()
    {
        Assert.Throws<NotSupportedException>(() => new SerializedJoinResponse().MergeFrom(new CodedInputStream([])));
    }
}
