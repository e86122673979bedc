using DistTrain.Protocol.V1;

namespace DistTrain.Coordinator.Telemetry;

/// <summary>
/// Where the ranks' telemetry arrives: their per-window summaries and their last words. Every member is
/// thread-safe and returns at once; the aggregate is read through <see cref="ITelemetryView"/>.
/// </summary>
public interface ITelemetrySink
{
    /// <summary>
    /// Records a rank's summary as its latest. A report of an older round than the newest seen, or with a
    /// lower <see cref="RankTelemetry.ReportSequence"/> than the same process sent before, is ignored; a
    /// report of a newer round starts that round's view afresh.
    /// </summary>
    /// <param name="report">A checked report (identity present, rank inside its world).</param>
    void Report(RankTelemetry report);

    /// <summary>Records a rank's last words; the first failure of the job stays first (the root cause).</summary>
    /// <param name="failure">A checked failure (identity present).</param>
    void ReportFailure(RankFailure failure);
}

/// <summary>Settings of telemetry aggregation and of the health rules.</summary>
public sealed class TelemetryOptions
{
    /// <summary>The interval between reports the coordinator asks the ranks for.</summary>
    public TimeSpan ReportInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A rank is a straggler when its own time per step (step time less the communication wait, which
    /// in synchronous data parallelism is the time it waits for the others) exceeds this factor times
    /// the ranks' median for <see cref="StragglerReports"/> consecutive reports. Greater than 1.
    /// </summary>
    public double StragglerFactor { get; set; } = 1.5;

    /// <summary>Consecutive slow reports before a rank is named a straggler; at least 1.</summary>
    public int StragglerReports { get; set; } = 5;

    /// <summary>
    /// A rank is stuck when its collective sequence number has not advanced for this long while another
    /// rank waits in a later collective (or the same one, which this rank has not entered), or when it
    /// has sent no report for this long while others still report. Together with the report interval
    /// this bounds how late a stuck rank is named.
    /// </summary>
    public TimeSpan StuckAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The spacing of the history's points.</summary>
    public TimeSpan HistoryInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The most history points kept (the oldest are dropped); at least 1.</summary>
    public int HistoryCapacity { get; set; } = 3600;

    /// <summary>The most failures kept; the first ones are kept, later ones dropped with one log line.</summary>
    public int MaxFailures { get; set; } = 1024;
}
