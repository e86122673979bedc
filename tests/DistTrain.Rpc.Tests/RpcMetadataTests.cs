namespace DistTrain.Rpc.Tests;

public sealed class RpcMetadataTests
{
    [Fact]
    public void Keys_are_case_insensitive_and_stored_lower_case()
    {
        var metadata = new RpcMetadata().Add("Authorization", "Bearer x");

        Assert.Equal("Bearer x", metadata.GetValue("AUTHORIZATION"));
        Assert.Equal("authorization", metadata.Single().Key);
    }

    [Fact]
    public void Binary_values_need_a_bin_key_and_text_values_must_not_have_one()
    {
        Assert.Throws<ArgumentException>(() => new RpcMetadata().Add("trace", [1, 2]));
        Assert.Throws<ArgumentException>(() => new RpcMetadata().Add("trace-bin", "text"));
    }

    [Theory]
    [InlineData("grpc-status")]
    [InlineData("bad key")]
    [InlineData("")]
    public void Reserved_or_malformed_keys_are_refused(string key) =>
        Assert.ThrowsAny<ArgumentException>(() => new RpcMetadata().Add(key, "v"));

    [Fact]
    public void Non_ascii_text_values_are_refused() =>
        Assert.Throws<ArgumentException>(() => new RpcMetadata().Add("name", "ünïcode"));

    [Theory]
    [InlineData("AAEC+g==")]
    [InlineData("AAEC+g")]
    public void Binary_values_off_the_wire_are_read_padded_or_not(string wire)
    {
        var metadata = new RpcMetadata();
        metadata.AddFromWire("trace-bin", wire);

        Assert.Equal(new byte[] { 0, 1, 2, 250 }, metadata.GetValueBytes("trace-bin"));
    }

    [Fact]
    public void Repeated_keys_keep_every_value_in_order()
    {
        var metadata = new RpcMetadata().Add("k", "1").Add("k", "2");
        Assert.Equal(["1", "2"], metadata.GetAll("k").Select(e => e.Value));
    }
}
