using DistTrain.Coordinator.Hosting;

namespace DistTrain.Coordinator.Tests.Hosting;

public sealed class CoordinatorOptionsValidatorTests
{
    private static IReadOnlyList<string> Failures(Action<CoordinatorOptions> change)
    {
        var options = new CoordinatorOptions { Token = "a-good-token" };
        change(options);
        return new CoordinatorOptionsValidator().Validate(null, options).Failures?.ToList() ?? [];
    }

    [Fact]
    public void Defaults_with_a_token_are_valid()
    {
        Assert.Empty(Failures(_ => { }));
    }

    [Fact]
    public void Max_nodes_below_min_nodes_is_reported_with_both_values()
    {
        var failures = Failures(o => { o.Rendezvous.MinNodes = 2; o.Rendezvous.MaxNodes = 1; });

        Assert.Equal(["The maximum number of nodes (1) must be greater than or equal to the minimum (2)."], failures);
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    public void Missing_or_short_token_is_reported(string token)
    {
        var failures = Failures(o => o.Token = token);

        Assert.Equal([$"The token must be at least 8 characters long (it has {token.Length})."], failures);
    }

    [Fact]
    public void Bind_address_that_is_not_an_ip_address_is_reported()
    {
        Assert.Contains("('localhost')", Assert.Single(Failures(o => o.BindAddress = "localhost")));
    }

    [Fact]
    public void Port_out_of_range_is_reported()
    {
        Assert.Equal(["The port (70000) must be between 0 and 65535."], Failures(o => o.Port = 70000));
    }

    [Fact]
    public void Non_positive_heartbeat_interval_and_misses_are_reported()
    {
        var failures = Failures(o => { o.Heartbeat.Interval = TimeSpan.Zero; o.Heartbeat.MissesBeforeDead = 0; });

        Assert.Equal(2, failures.Count);
        Assert.Contains("heartbeat interval (00:00:00) must be positive", failures[0]);
        Assert.Contains("(0) must be at least 1", failures[1]);
    }

    [Fact]
    public void Connection_and_response_limits_below_their_minimum_are_reported_with_their_values()
    {
        var failures = Failures(o => { o.MaxConcurrentConnections = 0; o.MaxSendMessageSize = 100; });

        Assert.Equal(
            ["The maximum response size (100 bytes) must be at least 1024 bytes.", "The maximum number of connections (0) must be at least 1."],
            failures);
    }

    [Fact]
    public void Client_ca_without_a_certificate_is_reported_with_how_to_fix_it()
    {
        var ca = Path.GetTempFileName();
        try
        {
            Assert.Equal(
                ["A TLS key or client CA was given without a certificate: give the server's certificate too (--tls-cert)."],
                Failures(o => o.Tls.ClientCaPath = ca));
        }
        finally
        {
            File.Delete(ca);
        }
    }
}
