using System.IO.Compression;
using DistTrain.Rpc.Tests.Echo;
using DistTrain.Rpc.Tests.Support;
using Google.Protobuf;

namespace DistTrain.Rpc.Tests.Server;

public sealed class CompressionTests
{
    private const string SayPath = "/disttrain.rpctest.v1.Echo/Say";

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    public async Task Compressed_request_is_decoded(string encoding)
    {
        await using var server = await TestServer.StartAsync();
        using var raw = new RawGrpcClient(server.Address);
        var payload = Compress(new EchoRequest { Text = new string('z', 1000) }.ToByteArray(), encoding);

        var response = await raw.SendAsync(SayPath, RawGrpcClient.Frame(payload, compressed: true),
            new Dictionary<string, string> { ["grpc-encoding"] = encoding });

        Assert.Equal(StatusCode.Ok, response.Status);
        Assert.Equal(new string('z', 1000), Assert.Single(response.Replies()).Text);
    }

    [Fact]
    public async Task Server_advertises_the_encodings_it_reads()
    {
        await using var server = await TestServer.StartAsync();
        using var raw = new RawGrpcClient(server.Address);

        var response = await raw.SendAsync(SayPath, RawGrpcClient.Frame(new EchoRequest()));

        Assert.Equal("identity,gzip,deflate", response.Headers["grpc-accept-encoding"]);
    }

    internal static byte[] Compress(byte[] data, string encoding)
    {
        var output = new MemoryStream();
        using (Stream compressor = encoding == "gzip"
            ? new GZipStream(output, CompressionLevel.Fastest)
            : new ZLibStream(output, CompressionLevel.Fastest))
            compressor.Write(data);
        return output.ToArray();
    }
}
