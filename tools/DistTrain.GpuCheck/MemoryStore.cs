using System.Globalization;
using System.Text;
using DistTrain.Distributed;

namespace DistTrain.GpuCheck;

/// <summary>An in-memory store with PyTorch's store semantics: enough for groups whose ranks all live in this process.</summary>
internal sealed class MemoryStore : Store
{
    private readonly Dictionary<string, byte[]> values = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Keys
    {
        get { lock (values) return values.Keys.ToArray(); }
    }

    public override void Set(string key, ReadOnlySpan<byte> value)
    {
        var copy = value.ToArray();
        lock (values)
        {
            values[key] = copy;
            Monitor.PulseAll(values);
        }
    }

    public override byte[] Get(string key, TimeSpan timeout)
    {
        Wait([key], timeout);
        lock (values) return values[key];
    }

    public override long Add(string key, long delta)
    {
        lock (values)
        {
            var current = values.TryGetValue(key, out var v) ? long.Parse(Encoding.ASCII.GetString(v), CultureInfo.InvariantCulture) : 0;
            values[key] = Encoding.ASCII.GetBytes((current + delta).ToString(CultureInfo.InvariantCulture));
            Monitor.PulseAll(values);
            return current + delta;
        }
    }

    public override byte[] CompareSet(string key, ReadOnlySpan<byte> expected, ReadOnlySpan<byte> desired)
    {
        lock (values)
        {
            if (!values.TryGetValue(key, out var current))
            {
                if (!expected.IsEmpty) return expected.ToArray();
                values[key] = desired.ToArray();
                Monitor.PulseAll(values);
                return values[key];
            }
            if (!expected.SequenceEqual(current)) return current;
            values[key] = desired.ToArray();
            Monitor.PulseAll(values);
            return values[key];
        }
    }

    public override bool DeleteKey(string key)
    {
        lock (values) return values.Remove(key);
    }

    public override bool Check(IReadOnlyList<string> keys)
    {
        lock (values) return keys.All(values.ContainsKey);
    }

    public override void Wait(IReadOnlyList<string> keys, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (values)
        {
            while (!keys.All(values.ContainsKey))
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero) throw new StoreTimeoutException(keys.Where(k => !values.ContainsKey(k)).ToList(), timeout);
                Monitor.Wait(values, left);
            }
        }
    }

    public override long NumKeys()
    {
        lock (values) return values.Count;
    }
}
