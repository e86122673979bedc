using DistTrain.Protocol.Telemetry;
using DistTrain.Protocol.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DistTrain.Coordinator.Telemetry;

/// <summary>
/// The job's telemetry: the latest report of every rank of the newest round, their health
/// (<see cref="HealthRules"/>, judged at most every 250 ms as reports arrive and at every snapshot, so a
/// rank that stops is named while the others report), a bounded history and the failures, first first.
/// Logs one line when a rank becomes a straggler, stuck or failed, and when it recovers. One lock guards it all.
/// </summary>
internal sealed class TelemetryAggregator(IOptions<CoordinatorOptions> options, TimeProvider time, ILogger<TelemetryAggregator> logger)
    : ITelemetrySink, ITelemetryView
{
    private static readonly TimeSpan JudgeInterval = TimeSpan.FromMilliseconds(250);

    private readonly TelemetryOptions _options = options.Value.Telemetry;
    private readonly Lock _lock = new();
    private readonly SortedDictionary<int, RankRecord> _ranks = [];
    private readonly List<RankFailure> _failures = [];
    private readonly TelemetryHistory _history = new(options.Value.Telemetry.HistoryCapacity, options.Value.Telemetry.HistoryInterval);
    private ulong _round;
    private DateTimeOffset _judgedAt = DateTimeOffset.MinValue;
    private bool _failuresDropped;

    public void Report(RankTelemetry report)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            var identity = report.Identity;
            if (identity.Round < _round)
            {
                return;
            }

            if (identity.Round > _round)
            {
                _round = identity.Round;
                _ranks.Clear();
            }

            if (_ranks.TryGetValue(identity.Rank, out var record))
            {
                if (record.IsOutOfOrder(report))
                {
                    return;
                }

                record.Update(report, now);
            }
            else
            {
                _ranks[identity.Rank] = new RankRecord(report, now);
            }

            if (now - _judgedAt >= JudgeInterval)
            {
                JudgeLocked(now);
            }
        }
    }

    public void ReportFailure(RankFailure failure)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_failures.Count < _options.MaxFailures)
            {
                _failures.Add(failure);
            }
            else if (!_failuresDropped)
            {
                _failuresDropped = true;
                logger.LogWarning("More than {Max} failures were reported; later ones are not kept (the first ones are).", _options.MaxFailures);
            }

            var identity = failure.Identity;
            if (identity.Round >= _round)
            {
                if (identity.Round > _round)
                {
                    _round = identity.Round;
                    _ranks.Clear();
                }

                if (!_ranks.TryGetValue(identity.Rank, out var record))
                {
                    record = new RankRecord(new RankTelemetry { Identity = identity, Step = failure.Step, Collective = failure.Collective }, now);
                    _ranks[identity.Rank] = record;
                }

                record.Failure ??= failure;
            }

            JudgeLocked(now);
        }
    }

    public GetTelemetryResponse Snapshot(int maxHistory)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            JudgeLocked(now);
            var response = new GetTelemetryResponse { Round = _round, SamplesPerSecond = GlobalSamplesPerSecond(now) };
            foreach (var rank in _ranks.Values)
            {
                response.Ranks.Add(new RankStatus
                {
                    Latest = rank.Latest,
                    Health = rank.Health,
                    HealthReason = rank.Reason,
                    SamplesPerSecond = rank.SamplesPerSecond,
                    ReceivedUnixMs = rank.ReceivedAt.ToUnixTimeMilliseconds(),
                });
            }

            response.History.AddRange(_history.Newest(Math.Max(0, maxHistory)));
            response.Failures.AddRange(_failures);
            return response;
        }
    }

    private void JudgeLocked(DateTimeOffset now)
    {
        _judgedAt = now;
        var ranks = _ranks.Values.ToList();
        foreach (var change in HealthRules.Judge(ranks, now, _options))
        {
            Log(change);
        }

        if (ranks.Count > 0)
        {
            _history.AddIfDue(now, () => Point(ranks, now));
        }
    }

    private TelemetryPoint Point(IReadOnlyList<RankRecord> ranks, DateTimeOffset now)
    {
        var losses = ranks.Where(r => r.Latest.HasLoss).Select(r => r.Latest.Loss).ToArray();
        return new TelemetryPoint
        {
            Step = ranks.Max(r => r.Latest.Step),
            HasLoss = losses.Length > 0,
            Loss = losses.Length > 0 ? losses.Average() : 0,
            SamplesPerSecond = GlobalSamplesPerSecond(now),
        };
    }

    /// <summary>The sum over the ranks still reporting (a rank silent for the stuck threshold no longer adds its last window).</summary>
    private double GlobalSamplesPerSecond(DateTimeOffset now) =>
        _ranks.Values.Where(r => now - r.ReceivedAt < _options.StuckAfter && r.Failure is null).Sum(r => r.SamplesPerSecond);

    private void Log(HealthRules.Change change)
    {
        var rank = change.Rank;
        var identity = rank.Latest.Identity;
        switch (rank.Health)
        {
            case RankHealth.Healthy:
                logger.LogInformation("Rank {Rank} ({Host}, pid {Pid}) of round {Round} recovered: healthy again at step {Step} (it was {Was}).",
                    identity.Rank, identity.Host, identity.Pid, identity.Round, rank.Latest.Step, change.Was.ToText());
                break;
            default:
                logger.LogWarning("Rank {Rank} ({Host}, pid {Pid}, node {Node}) of round {Round}: {Health}, {Reason}.",
                    identity.Rank, identity.Host, identity.Pid, identity.NodeId, identity.Round, rank.Health.ToText(), rank.Reason);
                break;
        }
    }
}
