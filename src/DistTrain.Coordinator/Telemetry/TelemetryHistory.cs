using DistTrain.Protocol.V1;

namespace DistTrain.Coordinator.Telemetry;

/// <summary>The job's history for plots: at most one point per interval, the newest <c>capacity</c> kept. Not thread-safe (the aggregator's lock guards it).</summary>
internal sealed class TelemetryHistory(int capacity, TimeSpan interval)
{
    private readonly Queue<TelemetryPoint> _points = new();
    private DateTimeOffset _last = DateTimeOffset.MinValue;

    /// <summary>Adds a point for <paramref name="now"/> when the interval has passed since the previous one.</summary>
    public void AddIfDue(DateTimeOffset now, Func<TelemetryPoint> point)
    {
        if (now - _last < interval)
        {
            return;
        }

        _last = now;
        if (_points.Count == capacity)
        {
            _points.Dequeue();
        }

        var added = point();
        added.UnixMs = now.ToUnixTimeMilliseconds();
        _points.Enqueue(added);
    }

    /// <summary>The newest <paramref name="max"/> points, oldest first.</summary>
    public IEnumerable<TelemetryPoint> Newest(int max) => _points.Skip(Math.Max(0, _points.Count - max));
}
