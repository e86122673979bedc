using System.Globalization;
using DistTrain.Protocol.V1;

namespace DistTrain.Coordinator.Telemetry;

/// <summary>
/// Judges each rank of a round: failed (it sent its last words), stuck (it stopped reporting while
/// others report, or its collective sequence stopped advancing while others wait in a collective it
/// holds up), straggler (its own step time stayed above <see cref="TelemetryOptions.StragglerFactor"/>
/// times the median for <see cref="TelemetryOptions.StragglerReports"/> reports), or healthy.
/// </summary>
internal static class HealthRules
{
    /// <summary>A rank whose health changed: what it was.</summary>
    public readonly record struct Change(RankRecord Rank, RankHealth Was);

    /// <summary>Sets every rank's health and reason as of <paramref name="now"/>; returns the ranks whose health changed.</summary>
    public static IReadOnlyList<Change> Judge(IReadOnlyList<RankRecord> ranks, DateTimeOffset now, TelemetryOptions options)
    {
        CountSlowReports(ranks, options);
        List<Change>? changes = null;
        foreach (var rank in ranks)
        {
            var (health, reason) = rank.Failure is { } failure
                ? (RankHealth.Failed, Failed(failure))
                : Stuck(rank, ranks, now, options) is { } stuck
                    ? (RankHealth.Stuck, stuck)
                    : rank.SlowReports >= options.StragglerReports
                        ? (RankHealth.Straggler, Straggler(rank))
                        : (RankHealth.Healthy, "");
            if (health != rank.Health)
            {
                (changes ??= []).Add(new Change(rank, rank.Health));
            }

            rank.Health = health;
            rank.Reason = reason;
        }

        return changes ?? (IReadOnlyList<Change>)[];
    }

    /// <summary>
    /// The median the straggler rule compares with: the lower middle value for an even count, so that
    /// with two ranks the slow one is compared with the fast one.
    /// </summary>
    public static double LowerMedian(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[(sorted.Length - 1) / 2];
    }

    /// <summary>Judges each report once: slow ones count up, one at or under the bound resets the count.</summary>
    private static void CountSlowReports(IReadOnlyList<RankRecord> ranks, TelemetryOptions options)
    {
        var own = ranks.Select(r => r.OwnStepSeconds).OfType<double>().ToArray();
        if (own.Length < 2)
        {
            return;
        }

        var median = LowerMedian(own);
        foreach (var rank in ranks)
        {
            if (rank.JudgedReport == rank.Latest.ReportSequence || rank.OwnStepSeconds is not { } seconds)
            {
                continue;
            }

            rank.JudgedReport = rank.Latest.ReportSequence;
            if (median > 0 && seconds > options.StragglerFactor * median)
            {
                rank.SlowReports++;
                rank.LastSlow = (seconds, median);
            }
            else
            {
                rank.SlowReports = 0;
            }
        }
    }

    private static string? Stuck(RankRecord rank, IReadOnlyList<RankRecord> ranks, DateTimeOffset now, TelemetryOptions options)
    {
        var c = CultureInfo.InvariantCulture;
        var others = ranks.Where(r => r != rank && r.Failure is null).ToList();
        var silentFor = now - rank.ReceivedAt;
        var reporting = others.Where(r => now - r.ReceivedAt < options.StuckAfter).ToList();
        if (silentFor >= options.StuckAfter && reporting.Count > 0)
        {
            return string.Create(c, $"no report for {silentFor.TotalSeconds:0.0} s while {Ranks(reporting, "reports", "report")}; last step {rank.Latest.Step}, last collective {Collective(rank)}");
        }

        var idleFor = now - rank.SequenceSince;
        if (idleFor < options.StuckAfter)
        {
            return null;
        }

        // Those waiting in a collective this rank has not reached (a later one, or the same one it has not entered).
        var held = others.Where(r => r.Waiting && (r.Sequence > rank.Sequence || (r.Sequence == rank.Sequence && !rank.Waiting))).ToList();
        if (held.Count == 0)
        {
            return null;
        }

        var their = held.Select(r => r.Sequence).Distinct().Order().Select(s => s.ToString(c));
        return string.Create(c, $"collective {Collective(rank)} has not advanced for {idleFor.TotalSeconds:0.0} s while {Ranks(held, "waits", "wait")} in {string.Join(", ", their)}; last step {rank.Latest.Step}");
    }

    private static string Straggler(RankRecord rank)
    {
        var (own, median) = rank.LastSlow;
        return string.Create(CultureInfo.InvariantCulture,
            $"step {own:0.000} s without communication wait, {own / median:0.0}x the median {median:0.000} s for {rank.SlowReports} reports");
    }

    private static string Failed(RankFailure failure) =>
        $"{(failure.ExceptionType.Length > 0 ? failure.ExceptionType + ": " : "")}{failure.Message} (step {failure.Step}, collective {Collective(failure.Collective)})";

    private static string Collective(RankRecord rank) => Collective(rank.Latest.Collective);

    private static string Collective(CollectiveProgress? progress) =>
        progress is null || progress.Sequence == 0 ? "none yet" : $"{progress.Sequence} ({progress.Name}{(progress.Waiting ? ", waiting" : "")})";

    // "rank 0 waits", "ranks 0, 2 wait".
    private static string Ranks(IReadOnlyList<RankRecord> ranks, string one, string several) =>
        (ranks.Count == 1 ? "rank " : "ranks ") + string.Join(", ", ranks.Select(r => r.Latest.Identity.Rank).Order()) + " " + (ranks.Count == 1 ? one : several);
}
