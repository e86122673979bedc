using DistTrain.Rpc.Protocol;
using DistTrain.Rpc.Tests.Echo;
using DistTrain.Rpc.Tests.Server;
using DistTrain.Rpc.Tests.Support;
using Google.Protobuf;

namespace DistTrain.Rpc.Tests.Protocol;

public sealed class MessageFramingTests
{
    [Fact]
    public async Task Encoded_frame_reads_back_as_the_same_message()
    {
        var message = new EchoRequest { Text = "round trip", Count = 7 };
        var frame = MessageFraming.Encode(message, 1024);

        var bytes = await MessageFraming.ReadAsync(new MemoryStream(frame), 1024, null, default);

        Assert.Equal(0, frame[0]);
        Assert.Equal(message, EchoRequest.Parser.ParseFrom(bytes));
    }

    [Fact]
    public async Task End_of_stream_between_frames_reads_as_null() =>
        Assert.Null(await MessageFraming.ReadAsync(new MemoryStream(), 1024, null, default));

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    [InlineData("GZIP")]
    public async Task Compressed_frames_are_inflated(string encoding)
    {
        var plain = new EchoRequest { Text = new string('q', 5000) }.ToByteArray();
        var frame = RawGrpcClient.Frame(CompressionTests.Compress(plain, encoding.ToLowerInvariant()), compressed: true);

        var bytes = await MessageFraming.ReadAsync(new MemoryStream(frame), 1 << 20, encoding, default);

        Assert.Equal(plain, bytes);
    }

    [Fact]
    public void Encoding_a_message_over_the_limit_is_RESOURCE_EXHAUSTED()
    {
        var error = Assert.Throws<RpcException>(() => MessageFraming.Encode(new EchoRequest { Text = new string('x', 100) }, 10));
        Assert.Equal(StatusCode.ResourceExhausted, error.Status);
    }

    [Fact]
    public async Task Flag_other_than_zero_or_one_is_INTERNAL()
    {
        var frame = RawGrpcClient.Frame([1, 2]);
        frame[0] = 7;

        var error = await Assert.ThrowsAsync<RpcException>(() => MessageFraming.ReadAsync(new MemoryStream(frame), 1024, null, default));

        Assert.Equal(StatusCode.Internal, error.Status);
    }

    [Fact]
    public void Malformed_protobuf_is_INTERNAL_naming_the_type()
    {
        var error = Assert.Throws<RpcException>(() => MessageFraming.Parse(EchoRequest.Parser, [0x0A, 0x05, 0x01], "request"));

        Assert.Equal(StatusCode.Internal, error.Status);
        Assert.Contains("EchoRequest", error.Detail);
    }
}
