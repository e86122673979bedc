namespace DistTrain.Telemetry;

/// <summary>
/// The steps since the last report: counts and phase sums. The training
/// thread adds a step, the reporter takes the window; one lock (uncontended but for once a second) guards it.
/// </summary>
internal sealed class StepWindow
{
    private readonly Lock _lock = new();
    private long _startTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
    private long _steps, _samples;
    private StepTimes _sum;
    private long _step = -1, _epoch;

    /// <summary>Adds a completed step.</summary>
    public void Add(long step, long epoch, int samples, in StepTimes times)
    {
        lock (_lock)
        {
            _steps++;
            _samples += samples;
            _sum.Add(times);
            _step = step;
            _epoch = epoch;
        }
    }

    /// <summary>The window since the previous call, and a new one started.</summary>
    public WindowSummary Take()
    {
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        lock (_lock)
        {
            var summary = new WindowSummary(
                _step, _epoch, _steps, _samples, System.Diagnostics.Stopwatch.GetElapsedTime(_startTimestamp, now).TotalSeconds,
                _steps > 0 ? _sum.Divide(_steps) : null);
            _startTimestamp = now;
            _steps = 0;
            _samples = 0;
            _sum = default;
            return summary;
        }
    }
}

/// <summary>Seconds per phase of one step, or sums of several.</summary>
internal struct StepTimes
{
    public double DataWait, Forward, Backward, Optimizer, CommunicationWait, Step;

    public void Add(in StepTimes other)
    {
        DataWait += other.DataWait;
        Forward += other.Forward;
        Backward += other.Backward;
        Optimizer += other.Optimizer;
        CommunicationWait += other.CommunicationWait;
        Step += other.Step;
    }

    public readonly StepTimes Divide(long count) => new()
    {
        DataWait = DataWait / count, Forward = Forward / count, Backward = Backward / count,
        Optimizer = Optimizer / count, CommunicationWait = CommunicationWait / count, Step = Step / count,
    };
}

/// <summary>One report's worth of steps: the last step (-1 before the first), counts, the window's length, mean phase times (null without steps).</summary>
internal readonly record struct WindowSummary(long Step, long Epoch, long Steps, long Samples, double Seconds, StepTimes? MeanTimes);
