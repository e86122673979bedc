using System.Diagnostics;

namespace DistTrain.Telemetry;

/// <summary>
/// One training step being measured, from <see cref="TrainingTelemetry.Step"/> to <see cref="Dispose"/>:
/// mark the end of forward and of backward (the rest is the optimizer), set the loss and learning rate
/// when known. Marks are optional: an unmarked phase is counted in the next marked one. The same object
/// is reused for every step of its <see cref="TrainingTelemetry"/>; use it from the training thread only.
/// </summary>
public sealed class TrainingStep : IDisposable
{
    private readonly TrainingTelemetry _owner;
    private long _began, _mark, _waitAtBegin, _waitAtMark;
    private StepTimes _times;
    private int _samples;
    private bool _open;

    internal TrainingStep(TrainingTelemetry owner) => _owner = owner;

    /// <summary>The loss of this step, for the reports and the <c>disttrain.loss</c> gauge; null: not set.</summary>
    public double? Loss { get; set; }

    /// <summary>The learning rate of this step; null: not set.</summary>
    public double? LearningRate { get; set; }

    internal Activity? Activity { get; set; }

    /// <summary>Marks the end of the forward pass (and the loss).</summary>
    public void ForwardDone() => _times.Forward += Lap(out _);

    /// <summary>
    /// Marks the end of backward. DistributedDataParallel waits for its last gradient buckets inside
    /// backward: that wait is counted as communication wait, not as backward.
    /// </summary>
    public void BackwardDone()
    {
        var lap = Lap(out var waited);
        _times.Backward += Math.Max(0, lap - waited);
    }

    /// <summary>Marks the end of the optimizer step (the end of the step does the same).</summary>
    public void OptimizerDone() => _times.Optimizer += Lap(out _);

    /// <summary>Ends the step: what was not marked since the last mark counts as optimizer time.</summary>
    public void Dispose()
    {
        if (!_open) return;
        _open = false;
        _times.Optimizer += Lap(out _);
        var end = _mark;
        _times.Step = Stopwatch.GetElapsedTime(_began, end).TotalSeconds + _times.DataWait;
        _times.CommunicationWait = Seconds(_owner.WaitTicks - _waitAtBegin);
        _owner.Complete(this, _samples, _times, end);
    }

    internal void Begin(int samples, long began, double dataWait)
    {
        _samples = samples;
        _began = _mark = began;
        _waitAtBegin = _waitAtMark = _owner.WaitTicks;
        _times = new StepTimes { DataWait = dataWait };
        Loss = null;
        LearningRate = null;
        _open = true;
    }

    // Seconds since the previous mark, and the collective wait within them.
    private double Lap(out double waited)
    {
        var now = Stopwatch.GetTimestamp();
        var wait = _owner.WaitTicks;
        waited = Seconds(wait - _waitAtMark);
        var lap = Stopwatch.GetElapsedTime(_mark, now).TotalSeconds;
        _mark = now;
        _waitAtMark = wait;
        return lap;
    }

    private static double Seconds(long ticks) => (double)ticks / Stopwatch.Frequency;
}
