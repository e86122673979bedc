using System.Diagnostics;

namespace DistTrain.Bench.Coordinator;

/// <summary>Call latencies recorded as <see cref="Stopwatch"/> ticks, summarised as percentiles.</summary>
internal sealed class LatencyStats
{
    private readonly List<long> _ticks = [];

    public int Count => _ticks.Count;

    public void Add(long ticks) => _ticks.Add(ticks);

    public void AddRange(LatencyStats other) => _ticks.AddRange(other._ticks);

    /// <summary>The <paramref name="percentile"/> (0–100) latency in milliseconds.</summary>
    public double PercentileMs(double percentile)
    {
        if (_ticks.Count == 0)
        {
            return double.NaN;
        }

        _ticks.Sort();
        var index = (int)Math.Ceiling(percentile / 100 * _ticks.Count) - 1;
        return _ticks[Math.Clamp(index, 0, _ticks.Count - 1)] * 1000.0 / Stopwatch.Frequency;
    }
}
