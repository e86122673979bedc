using DistTrain.Rpc.Protocol;

namespace DistTrain.Rpc.Tests.Protocol;

public sealed class GrpcTimeoutTests
{
    [Theory]
    [InlineData("1H", 3_600_000.0)]
    [InlineData("2M", 120_000.0)]
    [InlineData("3S", 3_000.0)]
    [InlineData("100m", 100.0)]
    [InlineData("1500u", 1.5)]
    [InlineData("2000000n", 2.0)]
    [InlineData("99999999m", 99_999_999.0)]
    public void Each_unit_is_read(string header, double milliseconds)
    {
        Assert.True(GrpcTimeout.TryParse(header, out var timeout));
        Assert.Equal(milliseconds, timeout.TotalMilliseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("m")]
    [InlineData("10")]
    [InlineData("10x")]
    [InlineData("-5m")]
    [InlineData("123456789m")]
    [InlineData("1.5S")]
    public void Malformed_values_are_refused(string header) =>
        Assert.False(GrpcTimeout.TryParse(header, out _));

    [Theory]
    [InlineData(0.0005, "1n")]
    [InlineData(100, "100000u")]
    [InlineData(99_999, "99999000u")]
    [InlineData(100_000, "100000m")]
    [InlineData(200_000_000, "200000S")]
    public void Formats_in_the_finest_unit_that_fits_eight_digits(double milliseconds, string expected)
    {
        var timeout = milliseconds < 0.001 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(milliseconds);
        Assert.Equal(expected, GrpcTimeout.Format(timeout));
    }

    [Fact]
    public void Formatting_rounds_up_so_the_peer_never_sees_less_time()
    {
        var header = GrpcTimeout.Format(TimeSpan.FromTicks(123_456_789_012));
        Assert.True(GrpcTimeout.TryParse(header, out var back));
        Assert.True(back >= TimeSpan.FromTicks(123_456_789_012));
        Assert.True(header.Length <= 9);
    }
}
