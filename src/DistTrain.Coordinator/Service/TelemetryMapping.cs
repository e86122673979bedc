using DistTrain.Protocol.V1;
using static DistTrain.Coordinator.Service.StatusMapping;

namespace DistTrain.Coordinator.Service;

/// <summary>Checks telemetry requests: a field that breaks a rule is INVALID_ARGUMENT naming the field as the proto spells it, its value and the rule.</summary>
internal static class TelemetryMapping
{
    /// <summary>The most history points one GetTelemetry may ask for.</summary>
    public const int MaxHistory = 100_000;

    /// <summary>The report, checked: identity, counts and times.</summary>
    public static RankTelemetry Check(ReportTelemetryRequest request)
    {
        var report = request.Report ?? throw Invalid("report must be set: the rank's summary of its recent steps.");
        Check(report.Identity, "report.identity");
        if (report.ReportSequence == 0)
        {
            throw Invalid("report.report_sequence (0) must be at least 1: it counts the process's reports from 1.");
        }

        foreach (var (value, field) in new (long, string)[]
        {
            (report.Step, "step"), (report.Epoch, "epoch"), (report.StepsInWindow, "steps_in_window"), (report.SamplesInWindow, "samples_in_window"),
            (report.RssBytes, "rss_bytes"), (report.CudaAllocatedBytes, "cuda_allocated_bytes"), (report.Collective?.Sequence ?? 0, "collective.sequence"),
        })
        {
            RequireNotNegative(value, "report." + field);
        }

        RequireSeconds(report.WindowSeconds, "report.window_seconds");
        if (report.Phases is { } p)
        {
            foreach (var (value, field) in new[]
            {
                (p.DataWait, "data_wait"), (p.Forward, "forward"), (p.Backward, "backward"), (p.Optimizer, "optimizer"), (p.CommunicationWait, "communication_wait"), (p.Step, "step"),
            })
            {
                RequireSeconds(value, "report.phases." + field);
            }
        }

        if (report.HasLoss && !double.IsFinite(report.Loss))
        {
            // A diverged loss is worth seeing, but NaN cannot be averaged or plotted: the rank should say so in words (ReportFailure).
            throw Invalid($"report.loss ({report.Loss}) must be a finite number when has_loss is set; leave has_loss unset for a step without one.");
        }

        if (report.HasLearningRate && !double.IsFinite(report.LearningRate))
        {
            throw Invalid($"report.learning_rate ({report.LearningRate}) must be a finite number when has_learning_rate is set.");
        }

        return report;
    }

    /// <summary>The failure, checked: identity, and some words saying why.</summary>
    public static RankFailure Check(ReportFailureRequest request)
    {
        var failure = request.Failure ?? throw Invalid("failure must be set: the rank's last words.");
        Check(failure.Identity, "failure.identity");
        RequireNotNegative(failure.Step, "failure.step");
        if (failure.Message.Length == 0 && failure.ExceptionType.Length == 0)
        {
            throw Invalid("failure.message and failure.exception_type are both empty: say why the rank stopped.");
        }

        return failure;
    }

    /// <summary>The number of history points asked for, checked.</summary>
    public static int Check(GetTelemetryRequest request) =>
        request.MaxHistory is >= 0 and <= MaxHistory
            ? request.MaxHistory
            : throw Invalid($"max_history ({request.MaxHistory}) must be between 0 and {MaxHistory}.");

    private static void Check(RankIdentity? identity, string field)
    {
        if (identity is null)
        {
            throw Invalid($"{field} must be set: which rank, round, node, host and pid this is from.");
        }

        if (identity.WorldSize < 1)
        {
            throw Invalid($"{field}.world_size ({identity.WorldSize}) must be at least 1.");
        }

        if (identity.Rank < 0 || identity.Rank >= identity.WorldSize)
        {
            throw Invalid($"{field}.rank ({identity.Rank}) must be in [0, {identity.WorldSize - 1}] (world_size {identity.WorldSize}).");
        }

        if (identity.Pid < 1)
        {
            throw Invalid($"{field}.pid ({identity.Pid}) must be the worker's process id (at least 1).");
        }
    }

    private static void RequireNotNegative(long value, string field)
    {
        if (value < 0)
        {
            throw Invalid($"{field} ({value}) must not be negative.");
        }
    }

    private static void RequireSeconds(double value, string field)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            throw Invalid($"{field} ({value}) must be a finite, non-negative number of seconds.");
        }
    }
}
