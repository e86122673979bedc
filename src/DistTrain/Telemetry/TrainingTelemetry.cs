using System.Diagnostics;
using DistTrain.Distributed;
using DistTrain.Protocol;
using DistTrain.Protocol.V1;

namespace DistTrain.Telemetry;

/// <summary>
/// A worker's per-step measurements, cheap enough to leave on: data wait, forward, backward, optimizer,
/// communication wait (the time the process group's collectives kept this rank waiting, measured by
/// the group itself, so DistributedDataParallel's buckets are counted without any call), samples/s,
/// loss, learning rate, memory and the last collective. They go to the meter <see cref="MeterName"/>
/// and activity source <see cref="ActivitySourceName"/> (exported over OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set) and, about once a second from a background task, to the
/// coordinator as this rank's summary. <c>DISTTRAIN_TELEMETRY=0</c> turns all of it off.
/// <code>
/// using var telemetry = TrainingTelemetry.Start(context);
/// foreach (var (x, y) in batches)
/// {
///     using var step = telemetry.Step(batchSize: x.shape[0]);
///     var loss = loss_fn(ddp.call(x), y); step.ForwardDone();
///     loss.backward(); step.BackwardDone();
///     optimizer.step(); step.Loss = loss.item&lt;float&gt;();
/// }
/// </code>
/// </summary>
public sealed class TrainingTelemetry : IDisposable
{
    /// <summary>The name of the worker's <see cref="System.Diagnostics.Metrics.Meter"/>.</summary>
    public const string MeterName = "DistTrain";

    /// <summary>The name of the worker's <see cref="System.Diagnostics.ActivitySource"/> (one <c>train_step</c> span per step).</summary>
    public const string ActivitySourceName = "DistTrain";

    private readonly ProcessGroup? _group;
    private readonly RankIdentity _identity;
    private readonly StepWindow _window = new();
    private readonly TrainingStep _step;
    private readonly WorkerInstruments? _instruments;
    private readonly OtlpExport? _otlp;
    private readonly TelemetryReporter? _reporter;
    private ulong _reports;
    private long _lastEnd;
    // NaN: not set. Written by the training thread, read by the reporter and by metric collection (a double is read whole).
    private double _lastLoss = double.NaN, _lastLearningRate = double.NaN;

    private TrainingTelemetry(bool enabled, ProcessGroup? group, RankIdentity identity, CoordinatorTelemetryClient? coordinator, TimeSpan interval, TextWriter log)
    {
        Enabled = enabled;
        _group = group;
        _identity = identity;
        _step = new TrainingStep(this);
        TrainingPosition.ReadStepFrom(() => CompletedSteps);
        if (!enabled) return;
        _instruments = new WorkerInstruments(identity.Rank, () => Known(Volatile.Read(ref _lastLoss)), () => Known(Volatile.Read(ref _lastLearningRate)), () => _group?.Progress.Sequence ?? 0);
        _otlp = OtlpExport.StartIfConfigured(identity.Rank, identity.NodeId, identity.Round);
        if (coordinator is not null) _reporter = new TelemetryReporter(coordinator, identity.Rank, interval, TakeReport, log);
    }

    /// <summary>
    /// Starts measuring for this rank of <paramref name="context"/>: reports go to its coordinator every
    /// <paramref name="reportInterval"/> (default 1 s; the coordinator may ask for less often). Off, and
    /// every call a no-op, when the launch environment says <c>DISTTRAIN_TELEMETRY=0</c>.
    /// </summary>
    public static TrainingTelemetry Start(DistributedContext context, TimeSpan? reportInterval = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var environment = context.Environment;
        var identity = new RankIdentity
        {
            Rank = environment.Rank,
            Round = environment.Round,
            NodeId = environment.NodeId ?? $"group-rank-{environment.GroupRank}",
            Host = System.Environment.MachineName,
            Pid = System.Environment.ProcessId,
            LocalRank = environment.LocalRank,
            WorldSize = environment.WorldSize,
        };
        return new TrainingTelemetry(environment.Telemetry, context.ProcessGroup, identity, context.Coordinator.Telemetry, Interval(reportInterval), Console.Error);
    }

    /// <summary>Measurements without a coordinator (meters, spans and OTLP only), for a program run without <c>disttrain run</c> or for tests.</summary>
    internal static TrainingTelemetry Local(ProcessGroup? group, RankIdentity identity, CoordinatorTelemetryClient? coordinator = null, TimeSpan? reportInterval = null, bool enabled = true) =>
        new(enabled, group, identity, coordinator, Interval(reportInterval), Console.Error);

    /// <summary>Whether measuring is on (<c>DISTTRAIN_TELEMETRY</c> is not 0).</summary>
    public bool Enabled { get; }

    /// <summary>Steps completed so far (the step number reports carry); set it when resuming from a checkpoint.</summary>
    public long CompletedSteps { get; set; }

    /// <summary>The epoch the steps belong to; set it at each epoch.</summary>
    public long Epoch { get; set; }

    /// <summary>
    /// Begins measuring a step of <paramref name="batchSize"/> samples (this rank's). The time since the
    /// previous step ended counts as data wait, so call it once the batch is at hand. Dispose the step
    /// when it is done. The same object is returned for every step.
    /// </summary>
    public TrainingStep Step(int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batchSize);
        if (!Enabled) return _step;
        var now = Stopwatch.GetTimestamp();
        var dataWait = _lastEnd == 0 ? 0 : Stopwatch.GetElapsedTime(_lastEnd, now).TotalSeconds;
        _step.Begin(batchSize, now, dataWait);
        _step.Activity = WorkerInstruments.StartStep();
        return _step;
    }

    /// <summary>Stops reporting (after a last report, at most 2 s) and exporting.</summary>
    public void Dispose()
    {
        _reporter?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _otlp?.Dispose();
        _instruments?.Dispose();
    }

    internal long WaitTicks => _group?.Tracker.WaitTicks ?? 0;

    internal void Complete(TrainingStep step, int samples, in StepTimes times, long end)
    {
        _lastEnd = end;
        CompletedSteps++;
        if (step.Loss is { } loss) Volatile.Write(ref _lastLoss, loss);
        if (step.LearningRate is { } lr) Volatile.Write(ref _lastLearningRate, lr);
        _window.Add(CompletedSteps, Epoch, samples, times);
        _instruments?.Record(times, samples);
        if (step.Activity is { } activity)
        {
            activity.SetTag("disttrain.step", CompletedSteps);
            activity.SetTag("disttrain.samples", samples);
            activity.Dispose();
            step.Activity = null;
        }
    }

    /// <summary>The summary of the steps since the previous one, as the coordinator takes it.</summary>
    internal RankTelemetry TakeReport()
    {
        var window = _window.Take();
        var report = new RankTelemetry
        {
            Identity = _identity,
            ReportSequence = ++_reports,
            SentUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            Step = Math.Max(0, window.Steps > 0 ? window.Step : CompletedSteps),
            Epoch = window.Steps > 0 ? window.Epoch : Epoch,
            StepsInWindow = window.Steps,
            SamplesInWindow = window.Samples,
            WindowSeconds = window.Seconds,
            RssBytes = System.Environment.WorkingSet,
        };
        if (window.MeanTimes is { } t)
        {
            report.Phases = new StepPhases
            {
                DataWait = t.DataWait, Forward = t.Forward, Backward = t.Backward,
                Optimizer = t.Optimizer, CommunicationWait = t.CommunicationWait, Step = t.Step,
            };
        }

        if (Known(Volatile.Read(ref _lastLoss)) is { } loss) (report.Loss, report.HasLoss) = (loss, true);
        if (Known(Volatile.Read(ref _lastLearningRate)) is { } lr) (report.LearningRate, report.HasLearningRate) = (lr, true);
        if (_group?.Progress is { } progress)
        {
            report.Collective = TrainingPosition.ToMessage(progress);
        }

        return report;
    }

    // A loss that diverged to NaN or infinity is not sent (the coordinator would refuse the report); the program's own log shows it.
    private static double? Known(double value) => double.IsFinite(value) ? value : null;

    private static TimeSpan Interval(TimeSpan? interval) =>
        interval is { } i && i <= TimeSpan.Zero ? throw new ArgumentOutOfRangeException(nameof(interval), i, "The report interval must be positive.") : interval ?? TimeSpan.FromSeconds(1);
}
