using DistTrain.Protocol.V1;

namespace DistTrain.Coordinator.Telemetry;

/// <summary>What the coordinator keeps about one rank of the current round: its latest report and the state the health rules need.</summary>
internal sealed class RankRecord(RankTelemetry latest, DateTimeOffset receivedAt)
{
    /// <summary>The latest report.</summary>
    public RankTelemetry Latest { get; private set; } = latest;

    /// <summary>When the latest report arrived.</summary>
    public DateTimeOffset ReceivedAt { get; private set; } = receivedAt;

    /// <summary>When a report first showed the current collective sequence number.</summary>
    public DateTimeOffset SequenceSince { get; private set; } = receivedAt;

    /// <summary>The report sequence the straggler rule last judged; each report is judged once.</summary>
    public ulong JudgedReport { get; set; }

    /// <summary>Consecutive judged reports whose own step time was above the straggler bound.</summary>
    public int SlowReports { get; set; }

    /// <summary>The slow reports' last ratio and median, for the reason.</summary>
    public (double Own, double Median) LastSlow { get; set; }

    /// <summary>The health as last judged, and why.</summary>
    public RankHealth Health { get; set; } = RankHealth.Healthy;

    /// <summary>Why the rank has its health; empty when healthy.</summary>
    public string Reason { get; set; } = "";

    /// <summary>The rank sent its last words in this round.</summary>
    public RankFailure? Failure { get; set; }

    /// <summary>The collective sequence number of the latest report (0 before the first collective).</summary>
    public long Sequence => Latest.Collective?.Sequence ?? 0;

    /// <summary>Whether the latest report says the rank waits in a collective.</summary>
    public bool Waiting => Latest.Collective?.Waiting ?? false;

    /// <summary>The rank's own time per step (step less communication wait), or null when its window had no step.</summary>
    public double? OwnStepSeconds => Latest.Phases is { Step: > 0 } p && Latest.StepsInWindow > 0 ? Math.Max(0, p.Step - p.CommunicationWait) : null;

    /// <summary>This rank's samples per second over its latest window.</summary>
    public double SamplesPerSecond => Latest.WindowSeconds > 0 ? Latest.SamplesInWindow / Latest.WindowSeconds : 0;

    /// <summary>Takes a newer report of the same process, or the first of a new process of the same rank.</summary>
    public void Update(RankTelemetry report, DateTimeOffset receivedAt)
    {
        if (report.Collective?.Sequence != Latest.Collective?.Sequence || report.Identity.Pid != Latest.Identity.Pid)
        {
            SequenceSince = receivedAt;
        }

        if (report.Identity.Pid != Latest.Identity.Pid)
        {
            JudgedReport = 0;
            SlowReports = 0;
            Failure = null;
        }

        Latest = report;
        ReceivedAt = receivedAt;
    }

    /// <summary>Whether <paramref name="report"/> is older than the latest of the same process (out of order).</summary>
    public bool IsOutOfOrder(RankTelemetry report) =>
        report.Identity.Pid == Latest.Identity.Pid && report.ReportSequence <= Latest.ReportSequence;

    /// <summary>"rank 1 (host, pid 4242)": how log lines and reasons name a rank.</summary>
    public string Name => $"rank {Latest.Identity.Rank} ({(Latest.Identity.Host.Length > 0 ? Latest.Identity.Host : "?")}, pid {Latest.Identity.Pid})";
}
