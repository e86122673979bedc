using DistTrain.Rpc.Protocol;

namespace DistTrain.Rpc.Tests.Protocol;

public sealed class GrpcStatusMessageTests
{
    [Fact]
    public void Printable_ascii_is_sent_unchanged() =>
        Assert.Equal("key not found: a/b", GrpcStatusMessage.Encode("key not found: a/b"));

    [Fact]
    public void Percent_newline_and_unicode_are_percent_encoded_as_utf8() =>
        Assert.Equal("100%25%0Aok %C3%BC", GrpcStatusMessage.Encode("100%\nok ü"));

    [Theory]
    [InlineData("plain")]
    [InlineData("50% done\r\n")]
    [InlineData("日本語 ünïcode")]
    public void Decode_reverses_encode(string message) =>
        Assert.Equal(message, GrpcStatusMessage.Decode(GrpcStatusMessage.Encode(message)));

    [Fact]
    public void Malformed_escapes_are_kept_rather_than_failing() =>
        Assert.Equal("bad %G1 and %", GrpcStatusMessage.Decode("bad %G1 and %"));
}
