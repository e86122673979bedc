using DistTrain.Protocol.V1;
using Grpc.Core;

namespace DistTrain.Coordinator.Service;

/// <summary>The telemetry handlers: <see cref="TelemetryMapping"/> checks, the domain (<c>ITelemetrySink</c>, <c>ITelemetryView</c>) records and aggregates.</summary>
internal sealed partial class CoordinatorService
{
    /// <inheritdoc />
    public override Task<ReportTelemetryResponse> ReportTelemetry(ReportTelemetryRequest request, ServerCallContext context)
    {
        telemetry.Report(TelemetryMapping.Check(request));
        return Task.FromResult(new ReportTelemetryResponse { IntervalMs = _telemetryIntervalMs });
    }

    /// <inheritdoc />
    public override Task<ReportFailureResponse> ReportFailure(ReportFailureRequest request, ServerCallContext context)
    {
        telemetry.ReportFailure(TelemetryMapping.Check(request));
        return Task.FromResult(new ReportFailureResponse());
    }

    /// <inheritdoc />
    public override Task<GetTelemetryResponse> GetTelemetry(GetTelemetryRequest request, ServerCallContext context) =>
        Task.FromResult(telemetryView.Snapshot(TelemetryMapping.Check(request)));
}
