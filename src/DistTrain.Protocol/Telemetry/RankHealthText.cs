using DistTrain.Protocol.V1;

namespace DistTrain.Protocol.Telemetry;

/// <summary>How a <see cref="RankHealth"/> is written in log lines, tables and the <c>health</c> label of <c>/metrics</c>.</summary>
public static class RankHealthText
{
    /// <summary>"healthy", "straggler", "stuck", "failed"; "unknown" for an unset value.</summary>
    public static string ToText(this RankHealth health) => health switch
    {
        RankHealth.Healthy => "healthy",
        RankHealth.Straggler => "straggler",
        RankHealth.Stuck => "stuck",
        RankHealth.Failed => "failed",
        _ => "unknown",
    };
}
