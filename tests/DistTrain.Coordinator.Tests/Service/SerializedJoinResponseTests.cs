using DistTrain.Coordinator.Rendezvous;
using DistTrain.Coordinator.Service;
using DistTrain.Coordinator.Tests.Support;
using DistTrain.Protocol.V1;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodeAssignment = DistTrain.Protocol.V1.NodeAssignment;

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

    private static RendezvousWorld DomainWorld(long round) =>
        new(round, 1, [new DistTrain.Coordinator.Rendezvous.NodeAssignment("a", 0, 0, 1, "h")], $"round-{round}", DateTimeOffset.UnixEpoch);

    [Fact]
    public void Serialized_response_has_exactly_the_bytes_of_a_join_response()
    {
        var world = SampleWorld();

        var bytes = SerializedJoinResponse.For(world).Bytes;

        Assert.Equal(new JoinResponse { World = world }.ToByteArray(), bytes);
        Assert.Equal(world, JoinResponse.Parser.ParseFrom(bytes).World);
    }

    [Fact]
    public void Join_method_writes_the_serialized_bytes_as_they_are_and_refuses_to_parse_them()
    {
        var response = SerializedJoinResponse.For(SampleWorld());
        var marshaller = SerializedJoinResponse.JoinMethod.ResponseMarshaller;
        var written = new CapturingContext();

        marshaller.ContextualSerializer(response, written);

        Assert.Same(response.Bytes, written.Payload);
        Assert.Throws<NotSupportedException>(() => marshaller.ContextualDeserializer(null!));
        Assert.Equal("/disttrain.v1.Coordinator/Join", SerializedJoinResponse.JoinMethod.FullName);
    }

    [Fact]
    public void A_rounds_world_is_serialized_once_and_a_new_round_gets_its_own()
    {
        var responses = new WorldResponses(Options.Create(new CoordinatorOptions()));
        var round1 = DomainWorld(1);
        var round2 = DomainWorld(2);

        var first = responses.For(round1);
        var again = responses.For(round1);
        var next = responses.For(round2);

        Assert.Same(first, again);
        Assert.NotSame(first, next);
        Assert.Equal(2, responses.Serializations);
        Assert.Equal(2ul, JoinResponse.Parser.ParseFrom(next.Bytes).World.Round);
    }

    [Fact]
    public async Task Joiners_of_a_1024_node_round_get_one_world_serialized_once()
    {
        const int nodes = 1024;
        await using var server = await TestServer.StartAsync(minNodes: nodes, maxNodes: nodes);
        var clients = Enumerable.Range(0, 4).Select(_ => server.Client()).ToArray();

        var worlds = await Task.WhenAll(Enumerable.Range(0, nodes).Select(i => clients[i % clients.Length].JoinAsync($"node-{i:D4}", 8, $"10.0.{i / 256}.{i % 256}")));

        Assert.All(worlds, w => Assert.Equal(worlds[0], w));
        Assert.Equal((nodes, nodes * 8), (worlds[0].Nodes.Count, worlds[0].WorldSize));
        Assert.Equal(1, server.Server.Services.GetRequiredService<WorldResponses>().Serializations);
    }

    private sealed class CapturingContext : Grpc.Core.SerializationContext
    {
        public byte[]? Payload { get; private set; }

        public override void Complete(byte[] payload) => Payload = payload;
    }
}
