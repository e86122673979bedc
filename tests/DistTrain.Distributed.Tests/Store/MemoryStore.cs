using System.Globalization;
using System.Text;

namespace DistTrain.Distributed.Tests.Store;

/// <summary>A managed store with PyTorch's store semantics, in memory, for process groups whose ranks run in one process.</summary>
internal sealed class MemoryStore : DistTrain.Distributed.Store
{
    private readonly Dictionary<string, byte[]> _values = new(StringComparer.Ordinal);

    /// <summary>How many calls came in (from any thread).</summary>
    public int Calls;

    /// <summary>The threads calls came from.</summary>
    public readonly HashSet<int> CallerThreads = [];

    public override void Set(string key, ReadOnlySpan<byte> value)
    {
        var copy = value.ToArray();
        lock (_values)
        {
            Count();
            _values[key] = copy;
            Monitor.PulseAll(_values);
        }
    }

    public override byte[] Get(string key, TimeSpan timeout)
    {
        Wait([key], timeout);
        lock (_values) return _values[key];
    }

    public override long Add(string key, long delta)
    {
        lock (_values)
        {
            Count();
            var current = _values.TryGetValue(key, out var v) ? long.Parse(Encoding.ASCII.GetString(v), CultureInfo.InvariantCulture) : 0;
            _values[key] = Encoding.ASCII.GetBytes((current + delta).ToString(CultureInfo.InvariantCulture));
            Monitor.PulseAll(_values);
            return current + delta;
        }
    }

    public override byte[] CompareSet(string key, ReadOnlySpan<byte> expected, ReadOnlySpan<byte> desired)
    {
        lock (_values)
        {
            Count();
            if (!_values.TryGetValue(key, out var current))
            {
                if (!expected.IsEmpty) return expected.ToArray();
                _values[key] = desired.ToArray();
                Monitor.PulseAll(_values);
                return _values[key];
            }

            if (!expected.SequenceEqual(current)) return current;
            _values[key] = desired.ToArray();
            Monitor.PulseAll(_values);
            return _values[key];
        }
    }

    public override bool DeleteKey(string key)
    {
        lock (_values)
        {
            Count();
            return _values.Remove(key);
        }
    }

    public override bool Check(IReadOnlyList<string> keys)
    {
        lock (_values)
        {
            Count();
            return keys.All(_values.ContainsKey);
        }
    }

    public override void Wait(IReadOnlyList<string> keys, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_values)
        {
            Count();
            while (!keys.All(_values.ContainsKey))
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero) throw new StoreTimeoutException(keys.Where(k => !_values.ContainsKey(k)).ToList(), timeout);
                Monitor.Wait(_values, left);
            }
        }
    }

    public override long NumKeys()
    {
        lock (_values)
        {
            Count();
            return _values.Count;
        }
    }

    private void Count()
    {
        Calls++;
        CallerThreads.Add(Environment.CurrentManagedThreadId);
    }
}
