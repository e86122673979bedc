using System.Globalization;
using DistTrain.Protocol.Telemetry;
using DistTrain.Protocol.V1;
using Prometheus;

namespace DistTrain.Coordinator.Telemetry;

/// <summary>
/// The job's telemetry as Prometheus series (prometheus-net, in a registry of this coordinator's own):
/// per rank (labels <c>rank</c>, <c>node</c>, <c>host</c>) its step, samples/s, phase times, loss,
/// learning rate, memory, collective sequence number and health; per job the round, samples/s and
/// failures. Filled from <see cref="ITelemetryView.Snapshot"/> at each scrape; a rank that left the
/// view (a new round) leaves the series too.
/// </summary>
internal sealed class TelemetryMetrics
{
    private static readonly string[] RankLabels = ["rank", "node", "host"];
    private static readonly string[] PhaseLabels = ["rank", "node", "host", "phase"];
    private static readonly string[] HealthLabels = ["rank", "node", "host", "health"];
    private static readonly (string Name, Func<StepPhases, double> Value)[] Phases =
    [
        ("data_wait", p => p.DataWait), ("forward", p => p.Forward), ("backward", p => p.Backward),
        ("optimizer", p => p.Optimizer), ("communication_wait", p => p.CommunicationWait), ("step", p => p.Step),
    ];

    private static readonly RankHealth[] Healths = [RankHealth.Healthy, RankHealth.Straggler, RankHealth.Stuck, RankHealth.Failed];

    private readonly ITelemetryView _view;
    private readonly Lock _lock = new();
    private readonly Gauge _step, _epoch, _samplesPerSecond, _phase, _loss, _learningRate, _rss, _cuda, _sequence, _waiting, _health, _lastReport;
    private readonly Gauge _round, _jobSamplesPerSecond, _ranks, _failures;
    private Dictionary<string, (Gauge Gauge, string[] Labels)> _written = new(StringComparer.Ordinal);

    public TelemetryMetrics(ITelemetryView view)
    {
        _view = view;
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        Gauge Rank(string name, string help, string[]? labels = null) => factory.CreateGauge("disttrain_rank_" + name, help, labels ?? RankLabels);
        _step = Rank("step", "The last completed global step the rank reported.");
        _epoch = Rank("epoch", "The epoch of the rank's last step.");
        _samplesPerSecond = Rank("samples_per_second", "The rank's samples per second over its latest report window.");
        _phase = Rank("phase_seconds", "Mean seconds per step by phase over the rank's latest window (step: the whole step).", PhaseLabels);
        _loss = Rank("loss", "The loss of the rank's last step (absent when the program sets none).");
        _learningRate = Rank("learning_rate", "The learning rate of the rank's last step (absent when the program sets none).");
        _rss = Rank("rss_bytes", "Resident memory of the rank's process.");
        _cuda = Rank("cuda_allocated_bytes", "CUDA memory held by the rank's caching allocator (0 on CPU).");
        _sequence = Rank("collective_sequence", "How many collectives the rank has issued in this round.");
        _waiting = Rank("collective_waiting", "1 while the rank waits for its last collective to complete.");
        _health = Rank("health", "1 for the rank's health as the coordinator judges it (healthy, straggler, stuck, failed), 0 for the others.", HealthLabels);
        _lastReport = Rank("last_report_unix_seconds", "When the coordinator received the rank's latest report.");
        _round = factory.CreateGauge("disttrain_round", "The round the ranks' series belong to.");
        _jobSamplesPerSecond = factory.CreateGauge("disttrain_samples_per_second", "The job's samples per second: the sum over the ranks still reporting.");
        _ranks = factory.CreateGauge("disttrain_ranks_reporting", "Ranks of the round that have reported.");
        _failures = factory.CreateGauge("disttrain_failures", "Failures (last words) reported in the job.");
        Registry.AddBeforeCollectCallback(Update);
    }

    /// <summary>The registry <c>/metrics</c> serves.</summary>
    public CollectorRegistry Registry { get; }

    private void Update()
    {
        var snapshot = _view.Snapshot(0);
        lock (_lock)
        {
            var previous = _written;
            _written = new Dictionary<string, (Gauge Gauge, string[] Labels)>(previous.Count, StringComparer.Ordinal);
            _round.Set(snapshot.Round);
            _jobSamplesPerSecond.Set(snapshot.SamplesPerSecond);
            _ranks.Set(snapshot.Ranks.Count);
            _failures.Set(snapshot.Failures.Count);
            foreach (var rank in snapshot.Ranks)
            {
                Write(rank);
            }

            foreach (var (key, (gauge, labels)) in previous)
            {
                if (!_written.ContainsKey(key))
                {
                    gauge.RemoveLabelled(labels);
                }
            }
        }
    }

    private void Write(RankStatus status)
    {
        var report = status.Latest;
        var id = report.Identity;
        string[] labels = [id.Rank.ToString(CultureInfo.InvariantCulture), id.NodeId, id.Host];
        Set(_step, labels, report.Step);
        Set(_epoch, labels, report.Epoch);
        Set(_samplesPerSecond, labels, status.SamplesPerSecond);
        Set(_rss, labels, report.RssBytes);
        Set(_cuda, labels, report.CudaAllocatedBytes);
        Set(_sequence, labels, report.Collective?.Sequence ?? 0);
        Set(_waiting, labels, report.Collective?.Waiting == true ? 1 : 0);
        Set(_lastReport, labels, status.ReceivedUnixMs / 1000.0);
        if (report.HasLoss)
        {
            Set(_loss, labels, report.Loss);
        }

        if (report.HasLearningRate)
        {
            Set(_learningRate, labels, report.LearningRate);
        }

        if (report.Phases is { } phases)
        {
            foreach (var (name, value) in Phases)
            {
                Set(_phase, [.. labels, name], value(phases));
            }
        }

        foreach (var health in Healths)
        {
            Set(_health, [.. labels, health.ToText()], status.Health == health ? 1 : 0);
        }
    }

    private void Set(Gauge gauge, string[] labels, double value)
    {
        gauge.WithLabels(labels).Set(value);
        _written[gauge.Name + "\u0001" + string.Join('\u0001', labels)] = (gauge, labels);
    }
}
