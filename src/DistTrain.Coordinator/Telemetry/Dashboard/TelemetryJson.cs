using DistTrain.Protocol.V1;
using Google.Protobuf;

namespace DistTrain.Coordinator.Telemetry.Dashboard;

/// <summary>The telemetry snapshot as protobuf's JSON mapping: lowerCamelCase names, int64 as strings, enums by name, zeros written out.</summary>
public static class TelemetryJson
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    /// <summary>The JSON text of <paramref name="snapshot"/>.</summary>
    public static string Format(GetTelemetryResponse snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return Formatter.Format(snapshot);
    }
}
