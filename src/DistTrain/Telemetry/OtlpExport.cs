using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace DistTrain.Telemetry;

/// <summary>
/// Exports the worker's meter and step spans over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set
/// (OpenTelemetry's own variables choose the protocol, headers and export interval); otherwise nothing.
/// </summary>
internal sealed class OtlpExport : IDisposable
{
    /// <summary>OpenTelemetry's variable naming the collector.</summary>
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    private readonly MeterProvider _meters;
    private readonly TracerProvider _traces;

    private OtlpExport(MeterProvider meters, TracerProvider traces)
    {
        _meters = meters;
        _traces = traces;
    }

    /// <summary>Starts exporting when the endpoint variable is set; null when it is not.</summary>
    public static OtlpExport? StartIfConfigured(int rank, string? nodeId, ulong round)
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EndpointVariable)))
        {
            return null;
        }

        void Describe(ResourceBuilder resource) => resource.AddService("disttrain-worker", serviceInstanceId: $"rank-{rank}")
            .AddAttributes([new("disttrain.rank", rank), new("disttrain.node_id", nodeId ?? ""), new("disttrain.round", (long)round)]);
        var meters = Sdk.CreateMeterProviderBuilder().ConfigureResource(Describe).AddMeter(TrainingTelemetry.MeterName).AddOtlpExporter().Build();
        var traces = Sdk.CreateTracerProviderBuilder().ConfigureResource(Describe).AddSource(TrainingTelemetry.ActivitySourceName).AddOtlpExporter().Build();
        return new OtlpExport(meters, traces);
    }

    /// <summary>Flushes what is pending and stops.</summary>
    public void Dispose()
    {
        _meters.Dispose();
        _traces.Dispose();
    }
}
