using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace DistTrain.Telemetry;

/// <summary>
/// The worker's OpenTelemetry instruments: the meter <see cref="TrainingTelemetry.MeterName"/> (step and
/// phase durations, samples, loss, learning rate, memory, collective sequence) and the activity source
/// <see cref="TrainingTelemetry.ActivitySourceName"/> (one <c>train_step</c> span per step). Without a
/// listener (no OTLP export, no MeterListener) recording costs a flag check.
/// </summary>
internal sealed class WorkerInstruments : IDisposable
{
    private static readonly ActivitySource Source = new(TrainingTelemetry.ActivitySourceName);

    private readonly Meter _meter;
    private readonly Histogram<double> _step;
    private readonly Histogram<double> _phase;
    private readonly Counter<long> _samples;
    private readonly KeyValuePair<string, object?>[] _rank;

    public WorkerInstruments(int rank, Func<double?> loss, Func<double?> learningRate, Func<long> sequence)
    {
        _rank = [new("rank", rank)];
        _meter = new Meter(TrainingTelemetry.MeterName);
        _step = _meter.CreateHistogram<double>("disttrain.step.duration", "s", "Wall time of a training step.");
        _phase = _meter.CreateHistogram<double>("disttrain.step.phase.duration", "s", "Time of a step's phase (data_wait, forward, backward, optimizer, communication_wait).");
        _samples = _meter.CreateCounter<long>("disttrain.samples", "{sample}", "Samples this rank trained on.");
        _meter.CreateObservableGauge("disttrain.loss", () => Measure(loss()), description: "The last step's loss.");
        _meter.CreateObservableGauge("disttrain.learning_rate", () => Measure(learningRate()), description: "The last step's learning rate.");
        _meter.CreateObservableGauge("disttrain.process.rss", () => new Measurement<long>(Environment.WorkingSet, _rank), "By", "Resident memory of the worker process.");
        _meter.CreateObservableGauge("disttrain.collective.sequence", () => new Measurement<long>(sequence(), _rank), "{collective}", "Collectives this rank has issued.");
    }

    /// <summary>A span for a step, or null when nothing listens.</summary>
    public static Activity? StartStep() => Source.HasListeners() ? Source.StartActivity("train_step") : null;

    /// <summary>Records a completed step.</summary>
    public void Record(in StepTimes times, int samples)
    {
        if (_step.Enabled) _step.Record(times.Step, _rank);
        if (_samples.Enabled) _samples.Add(samples, _rank);
        if (!_phase.Enabled) return;
        Phase(times.DataWait, "data_wait");
        Phase(times.Forward, "forward");
        Phase(times.Backward, "backward");
        Phase(times.Optimizer, "optimizer");
        Phase(times.CommunicationWait, "communication_wait");
    }

    public void Dispose() => _meter.Dispose();

    private void Phase(double seconds, string phase) => _phase.Record(seconds, _rank[0], new KeyValuePair<string, object?>("phase", phase));

    private IEnumerable<Measurement<double>> Measure(double? value) => value is { } v ? [new Measurement<double>(v, _rank)] : [];
}
