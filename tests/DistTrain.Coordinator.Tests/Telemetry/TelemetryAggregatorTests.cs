using DistTrain.Coordinator.Telemetry;
using DistTrain.Coordinator.Tests.Support;
using DistTrain.Protocol.V1;
using Microsoft.Extensions.Logging;
using static DistTrain.Coordinator.Tests.Support.Reports;

namespace DistTrain.Coordinator.Tests.Telemetry;

/// <summary>The aggregator on a fake clock: latest per rank, history, failures, and the health rules with their log lines.</summary>
public sealed class TelemetryAggregatorTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly CapturingLogger<TelemetryAggregator> _log = new();
    private readonly CoordinatorOptions _options = new();

    private TelemetryAggregator Create(Action<TelemetryOptions>? configure = null)
    {
        configure?.Invoke(_options.Telemetry);
        return new TelemetryAggregator(Microsoft.Extensions.Options.Options.Create(_options), _time, _log);
    }

    private static RankStatus Rank(TelemetryAggregator telemetry, int rank) => telemetry.Snapshot(0).Ranks.Single(r => r.Latest.Identity.Rank == rank);

    /// <summary>Both ranks report every second for <paramref name="seconds"/> seconds; rank 1's values come from <paramref name="rank1"/>.</summary>
    private void Run(TelemetryAggregator telemetry, int seconds, ref ulong sequence, Func<ulong, RankTelemetry> rank1, Func<ulong, RankTelemetry>? rank0 = null)
    {
        for (var i = 0; i < seconds; i++)
        {
            sequence++;
            _time.Advance(TimeSpan.FromSeconds(1));
            telemetry.Report((rank0 ?? (s => Report(0, s, collective: (long)s * 10)))(sequence));
            telemetry.Report(rank1(sequence));
        }
    }

    [Fact]
    public void Snapshot_has_each_ranks_latest_report_and_the_sum_of_their_samples_per_second()
    {
        var telemetry = Create();
        telemetry.Report(Report(0, 1, step: 5, samples: 100, window: 2));
        telemetry.Report(Report(1, 1, step: 5, samples: 30, window: 1));
        telemetry.Report(Report(0, 2, step: 9, samples: 120, window: 2));

        var snapshot = telemetry.Snapshot(0);

        Assert.Equal(1ul, snapshot.Round);
        Assert.Equal([(0, 9L, 60.0), (1, 5L, 30.0)], snapshot.Ranks.Select(r => (r.Latest.Identity.Rank, r.Latest.Step, r.SamplesPerSecond)));
        Assert.Equal(90.0, snapshot.SamplesPerSecond);
        Assert.All(snapshot.Ranks, r => Assert.Equal(RankHealth.Healthy, r.Health));
    }

    [Fact]
    public void A_report_older_than_the_latest_of_the_same_process_is_ignored()
    {
        var telemetry = Create();
        telemetry.Report(Report(0, 5, step: 50));
        telemetry.Report(Report(0, 4, step: 40));

        Assert.Equal(50, Rank(telemetry, 0).Latest.Step);
    }

    [Fact]
    public void A_newer_round_starts_the_view_afresh_and_reports_of_the_older_round_are_ignored()
    {
        var telemetry = Create();
        telemetry.Report(Report(0, 1, round: 1));
        telemetry.Report(Report(1, 1, round: 1));
        telemetry.Report(Report(0, 1, round: 2, worldSize: 1, pid: 2000));
        telemetry.Report(Report(1, 2, round: 1));

        var snapshot = telemetry.Snapshot(0);

        Assert.Equal(2ul, snapshot.Round);
        Assert.Equal([2000], snapshot.Ranks.Select(r => r.Latest.Identity.Pid));
    }

    [Fact]
    public void History_keeps_one_point_per_interval_with_the_highest_step_and_mean_loss_up_to_its_capacity()
    {
        var telemetry = Create(o => o.HistoryCapacity = 3);
        // Reports at 0 s, 0.5 s, 1 s … 4.5 s: points at 0, 1, 2, 3 and 4 s, of which the newest 3 are kept.
        for (var i = 1; i <= 5; i++)
        {
            if (i > 1) _time.Advance(TimeSpan.FromMilliseconds(500));
            telemetry.Report(Report(0, (ulong)(2 * i - 1), step: i * 10, loss: 1.0 / i));
            telemetry.Report(Report(1, (ulong)i, step: i * 10 - 1, loss: 3.0 / i));
            _time.Advance(TimeSpan.FromMilliseconds(500));
            telemetry.Report(Report(0, (ulong)(2 * i), step: i * 10, loss: 1.0 / i));
        }

        var history = telemetry.Snapshot(10).History;

        Assert.Equal([30L, 40L, 50L], history.Select(p => p.Step));
        // A point is the view when it is taken: at rank 0's first report of the second, before rank 1's.
        Assert.Equal(((1.0 / 5) + (3.0 / 4)) / 2, history[^1].Loss, 12);
        Assert.True(history.Zip(history.Skip(1)).All(p => p.Second.UnixMs - p.First.UnixMs == 1000));
        Assert.Equal([50L], telemetry.Snapshot(1).History.Select(p => p.Step));
        Assert.Empty(telemetry.Snapshot(0).History);
    }

    [Fact]
    public void A_rank_whose_own_step_time_stays_above_the_factor_of_the_median_is_named_a_straggler_after_N_reports_and_recovers()
    {
        var telemetry = Create(o => (o.StragglerFactor, o.StragglerReports) = (1.5, 3));
        ulong sequence = 0;
        // Rank 0 waits 0.2 s of its 0.3 s steps for rank 1: its own time is 0.1 s; rank 1's is 0.3 s.
        Func<ulong, RankTelemetry> fast = s => Report(0, s, collective: (long)s * 10, stepSeconds: 0.3, communicationWait: 0.2);
        Func<ulong, RankTelemetry> slow = s => Report(1, s, collective: (long)s * 10, stepSeconds: 0.3, communicationWait: 0.001);

        Run(telemetry, 2, ref sequence, slow, fast);
        Assert.Equal(RankHealth.Healthy, Rank(telemetry, 1).Health);

        Run(telemetry, 1, ref sequence, slow, fast);
        var straggler = Rank(telemetry, 1);
        Assert.Equal(RankHealth.Straggler, straggler.Health);
        Assert.Contains("3.0x the median 0.100 s for 3 reports", straggler.HealthReason);
        Assert.Equal(RankHealth.Healthy, Rank(telemetry, 0).Health);

        Run(telemetry, 1, ref sequence, s => Report(1, s, collective: (long)s * 10, stepSeconds: 0.1), s => Report(0, s, collective: (long)s * 10, stepSeconds: 0.1));
        Assert.Equal(RankHealth.Healthy, Rank(telemetry, 1).Health);

        Assert.Collection(
            _log.Entries,
            e => Assert.Equal((LogLevel.Warning, "Rank 1 (host-1, pid 1001, node node-1) of round 1: straggler, step 0.299 s without communication wait, 3.0x the median 0.100 s for 3 reports."), (e.Level, e.Message)),
            e => Assert.Equal((LogLevel.Information, "Rank 1 (host-1, pid 1001) of round 1 recovered: healthy again at step 10 (it was straggler)."), (e.Level, e.Message)));
    }

    [Fact]
    public void One_report_within_the_bound_resets_the_straggler_count()
    {
        var telemetry = Create(o => o.StragglerReports = 3);
        ulong sequence = 0;
        Run(telemetry, 2, ref sequence, s => Report(1, s, collective: (long)s * 10, stepSeconds: 0.5));
        Run(telemetry, 1, ref sequence, s => Report(1, s, collective: (long)s * 10, stepSeconds: 0.1));
        Run(telemetry, 2, ref sequence, s => Report(1, s, collective: (long)s * 10, stepSeconds: 0.5));

        Assert.Equal(RankHealth.Healthy, Rank(telemetry, 1).Health);
        Run(telemetry, 1, ref sequence, s => Report(1, s, collective: (long)s * 10, stepSeconds: 0.5));
        Assert.Equal(RankHealth.Straggler, Rank(telemetry, 1).Health);
    }

    [Fact]
    public void A_rank_whose_collective_sequence_stops_while_another_waits_in_a_later_one_is_stuck_after_the_threshold()
    {
        var telemetry = Create(o => o.StuckAfter = TimeSpan.FromSeconds(10));
        ulong sequence = 0;
        // Rank 1 still reports (its reporter runs) but its collectives stopped at 41; rank 0 waits in 42.
        // Its first report with 41 comes at second 1: 9 s later it is not stuck yet, 10 s later it is.
        Run(telemetry, 10, ref sequence, s => Report(1, s, step: 20, collective: 41), s => Report(0, s, step: 21, collective: 42, waiting: true));
        Assert.Equal(RankHealth.Healthy, Rank(telemetry, 1).Health);

        Run(telemetry, 1, ref sequence, s => Report(1, s, step: 20, collective: 41), s => Report(0, s, step: 21, collective: 42, waiting: true));

        var stuck = Rank(telemetry, 1);
        Assert.Equal(RankHealth.Stuck, stuck.Health);
        Assert.Equal("collective 41 (all_reduce) has not advanced for 10.0 s while rank 0 waits in 42; last step 20", stuck.HealthReason);
        Assert.Equal(RankHealth.Healthy, Rank(telemetry, 0).Health);
        Assert.Equal("Rank 1 (host-1, pid 1001, node node-1) of round 1: stuck, " + stuck.HealthReason + ".", Assert.Single(_log.Entries).Message);
    }

    [Fact]
    public void A_rank_that_stops_reporting_while_the_others_report_is_stuck_and_named_with_its_host_pid_step_and_collective()
    {
        var telemetry = Create(o => o.StuckAfter = TimeSpan.FromSeconds(10));
        telemetry.Report(Report(1, 1, step: 33, collective: 67, waiting: true));
        ulong sequence = 0;
        for (var i = 0; i < 10; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            telemetry.Report(Report(0, ++sequence, step: 34, collective: 68, waiting: true));
        }

        var stuck = Rank(telemetry, 1);
        Assert.Equal(RankHealth.Stuck, stuck.Health);
        Assert.Equal(("host-1", 1001), (stuck.Latest.Identity.Host, stuck.Latest.Identity.Pid));
        Assert.Equal("no report for 10.0 s while rank 0 reports; last step 33, last collective 67 (all_reduce, waiting)", stuck.HealthReason);
    }

    [Fact]
    public void Ranks_that_all_wait_in_the_same_collective_and_keep_reporting_are_not_stuck()
    {
        var telemetry = Create(o => o.StuckAfter = TimeSpan.FromSeconds(5));
        ulong sequence = 0;
        Run(telemetry, 20, ref sequence, s => Report(1, s, collective: 9, waiting: true), s => Report(0, s, collective: 9, waiting: true));

        Assert.All(telemetry.Snapshot(0).Ranks, r => Assert.Equal(RankHealth.Healthy, r.Health));
        Assert.Empty(_log.Entries);
    }

    [Fact]
    public void A_stuck_rank_whose_collectives_advance_again_recovers_with_one_log_line()
    {
        var telemetry = Create(o => o.StuckAfter = TimeSpan.FromSeconds(3));
        ulong sequence = 0;
        Run(telemetry, 4, ref sequence, s => Report(1, s, collective: 5), s => Report(0, s, collective: 6, waiting: true));
        Assert.Equal(RankHealth.Stuck, Rank(telemetry, 1).Health);

        Run(telemetry, 1, ref sequence, s => Report(1, s, collective: 7), s => Report(0, s, collective: 7));

        Assert.Equal(RankHealth.Healthy, Rank(telemetry, 1).Health);
        Assert.Equal(2, _log.Entries.Count);
        Assert.Contains("recovered", _log.Entries[1].Message);
    }

    [Fact]
    public void Failures_are_kept_in_arrival_order_and_mark_their_rank_failed()
    {
        var telemetry = Create();
        telemetry.Report(Report(0, 1));
        telemetry.Report(Report(1, 1));
        telemetry.ReportFailure(Failure(1, "first: out of memory"));
        telemetry.ReportFailure(Failure(0, "second: peer closed the connection"));

        var snapshot = telemetry.Snapshot(0);

        Assert.Equal(["first: out of memory", "second: peer closed the connection"], snapshot.Failures.Select(f => f.Message));
        Assert.All(snapshot.Ranks, r => Assert.Equal(RankHealth.Failed, r.Health));
        Assert.Equal("System.InvalidOperationException: first: out of memory (step 7, collective 8 (all_reduce, waiting))", Rank(telemetry, 1).HealthReason);
    }

    [Fact]
    public void A_failure_of_a_rank_that_never_reported_still_appears_with_its_identity()
    {
        var telemetry = Create();
        telemetry.ReportFailure(Failure(1, "could not load the model"));

        var rank = Assert.Single(telemetry.Snapshot(0).Ranks);

        Assert.Equal((1, "host-1", RankHealth.Failed), (rank.Latest.Identity.Rank, rank.Latest.Identity.Host, rank.Health));
    }

    [Fact]
    public void Lower_median_of_two_values_is_the_smaller()
    {
        Assert.Equal(0.1, HealthRules.LowerMedian([0.3, 0.1]));
        Assert.Equal(0.2, HealthRules.LowerMedian([0.3, 0.1, 0.2]));
        Assert.Equal(0, HealthRules.LowerMedian([]));
    }
}
