using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace DistTrain.Telemetry;

/// <summary>
/// Exports the worker's meter and step spans over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set;
/// the meter alone when only <c>OTEL_EXPORTER_OTLP_METRICS_ENDPOINT</c> is, the spans alone when only
/// <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c> is; otherwise nothing. OpenTelemetry's own variables choose
/// the protocol, headers and export interval. Its AddOtlpExporter reads no signal-specific variable, so
/// the two endpoints are read here and used as they are, as the specification says (no <c>/v1/…</c> added).
/// </summary>
internal sealed class OtlpExport : IDisposable
{
    /// <summary>OpenTelemetry's variable naming the collector.</summary>
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>OpenTelemetry's variables naming the collector of one signal, used as they are.</summary>
    public const string MetricsEndpointVariable = "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", TracesEndpointVariable = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";

    private readonly MeterProvider? _meters;
    private readonly TracerProvider? _traces;

    private OtlpExport(MeterProvider? meters, TracerProvider? traces)
    {
        _meters = meters;
        _traces = traces;
    }

    /// <summary>Starts exporting each signal that has an endpoint; null when none has.</summary>
    /// <exception cref="ArgumentException">A signal's endpoint is not an absolute URI.</exception>
    public static OtlpExport? StartIfConfigured(int rank, string? nodeId, ulong round)
    {
        var everything = !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EndpointVariable));
        var (metricsEndpoint, tracesEndpoint) = (SignalEndpoint(MetricsEndpointVariable, Environment.GetEnvironmentVariable(MetricsEndpointVariable)),
            SignalEndpoint(TracesEndpointVariable, Environment.GetEnvironmentVariable(TracesEndpointVariable)));
        var (metrics, traces) = (everything || metricsEndpoint is not null, everything || tracesEndpoint is not null);
        if (!metrics && !traces)
        {
            return null;
        }

        void Describe(ResourceBuilder resource) => resource.AddService("disttrain-worker", serviceInstanceId: $"rank-{rank}")
            .AddAttributes([new("disttrain.rank", rank), new("disttrain.node_id", nodeId ?? ""), new("disttrain.round", (long)round)]);
        Action<OtlpExporterOptions> To(Uri? endpoint) => o =>
        {
            if (endpoint is not null)
                o.Endpoint = endpoint;
        };
        return new OtlpExport(
            metrics ? Sdk.CreateMeterProviderBuilder().ConfigureResource(Describe).AddMeter(TrainingTelemetry.MeterName).AddOtlpExporter(To(metricsEndpoint)).Build() : null,
            traces ? Sdk.CreateTracerProviderBuilder().ConfigureResource(Describe).AddSource(TrainingTelemetry.ActivitySourceName).AddOtlpExporter(To(tracesEndpoint)).Build() : null);
    }

    /// <summary>The endpoint a signal's variable names (null when unset or blank).</summary>
    /// <exception cref="ArgumentException">The value is not an absolute http:// or https:// URL.</exception>
    internal static Uri? SignalEndpoint(string variable, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        if (Uri.TryCreate(value.Trim(), UriKind.Absolute, out var endpoint) && endpoint.Scheme is "http" or "https")
            return endpoint;
        throw new ArgumentException(
            $"{variable} is '{value}', which is not an absolute http:// or https:// URL: give the collector's whole URL, for example http://collector:4318/v1/{(variable == MetricsEndpointVariable ? "metrics" : "traces")}, or unset it.");
    }

    /// <summary>Flushes what is pending and stops.</summary>
    public void Dispose()
    {
        _meters?.Dispose();
        _traces?.Dispose();
    }
}
