using DistTrain.Protocol.V1;

namespace DistTrain.Coordinator.Telemetry;

/// <summary>
/// The job's live view as the coordinator aggregates it from the ranks' telemetry: what
/// <c>GetTelemetry</c>, <c>/metrics</c>, the dashboard and <c>disttrain status</c> show.
/// </summary>
public interface ITelemetryView
{
    /// <summary>
    /// Every rank's latest summary and health, global throughput, at most <paramref name="maxHistory"/>
    /// history points (newest last) and the failures reported, as of now.
    /// </summary>
    GetTelemetryResponse Snapshot(int maxHistory);
}
