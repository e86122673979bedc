using DistTrain.Telemetry;

namespace DistTrain.Distributed.Tests.Telemetry;

/// <summary>
/// OTEL_EXPORTER_OTLP_METRICS_ENDPOINT and OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: read as they are (the
/// specification adds no /v1/… to them), unset when blank, refused with the variable, the value and the
/// form expected when not a URL.
/// </summary>
public sealed class OtlpSignalEndpointTests
{
    [Fact]
    public void A_signal_endpoint_is_used_as_it_is()
    {
        var endpoint = OtlpExport.SignalEndpoint(OtlpExport.MetricsEndpointVariable, " http://collector:4318/custom/metrics ");

        Assert.Equal(new Uri("http://collector:4318/custom/metrics"), endpoint);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void A_blank_signal_endpoint_is_none(string? value) =>
        Assert.Null(OtlpExport.SignalEndpoint(OtlpExport.TracesEndpointVariable, value));

    [Theory]
    [InlineData("collector:4318")]
    [InlineData("ftp://collector/v1/traces")]
    [InlineData("/v1/traces")]
    public void A_signal_endpoint_that_is_not_an_http_URL_is_refused_naming_the_variable_and_the_form(string value)
    {
        var error = Assert.Throws<ArgumentException>(() => OtlpExport.SignalEndpoint(OtlpExport.TracesEndpointVariable, value));

        Assert.Contains("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("http://collector:4318/v1/traces", error.Message, StringComparison.Ordinal);
    }
}
