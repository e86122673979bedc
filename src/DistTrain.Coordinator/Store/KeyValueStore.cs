using System.Globalization;
using System.Text;

namespace DistTrain.Coordinator.Store;

/// <summary>
/// The in-memory <see cref="IKeyValueStore"/> of one namespace. One lock guards the keys and the
/// waiters; a waiter is a <see cref="TaskCompletionSource"/> registered on its missing keys, so a
/// blocking get or wait holds no thread and wakes as soon as the last key is set.
/// </summary>
internal sealed class KeyValueStore(string name, TimeProvider time) : IKeyValueStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, byte[]> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Waiter>> _waiters = new(StringComparer.Ordinal);
    private bool _closed;

    public string Namespace { get; } = name;

    public long Count
    {
        get { lock (_lock) { return _values.Count; } }
    }

    public void Set(string key, ReadOnlySpan<byte> value)
    {
        var copy = value.ToArray();
        lock (_lock)
        {
            ThrowIfClosed();
            StoreLocked(key, copy);
        }
    }

    public async Task<ReadOnlyMemory<byte>> GetAsync(string key, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            lock (_lock)
            {
                ThrowIfClosed();
                if (_values.TryGetValue(key, out var value))
                {
                    return value;
                }
            }

            // The key may be deleted again between the wake-up and the read: wait for the rest of the time.
            var remaining = timeout == Timeout.InfiniteTimeSpan ? timeout : timeout - time.GetElapsedTime(started);
            await WaitCoreAsync([key], remaining < TimeSpan.Zero ? TimeSpan.Zero : remaining, timeout, cancellationToken).ConfigureAwait(false);
        }
    }

    public long Add(string key, long delta)
    {
        lock (_lock)
        {
            ThrowIfClosed();
            long current = 0;
            if (_values.TryGetValue(key, out var bytes)
                && !long.TryParse(bytes, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out current))
            {
                throw new StoreValueException($"The value of key '{key}' is not a decimal integer, so it cannot be added to.");
            }

            long sum;
            try
            {
                sum = checked(current + delta);
            }
            catch (OverflowException)
            {
                throw new StoreValueException($"Adding {delta} to key '{key}' ({current}) overflows a 64-bit integer.");
            }

            StoreLocked(key, Encoding.ASCII.GetBytes(sum.ToString(CultureInfo.InvariantCulture)));
            return sum;
        }
    }

    public CompareSetResult CompareSet(string key, ReadOnlySpan<byte> expected, ReadOnlySpan<byte> desired)
    {
        lock (_lock)
        {
            ThrowIfClosed();
            var exists = _values.TryGetValue(key, out var current);
            var matches = exists ? expected.SequenceEqual(current) : expected.IsEmpty;
            if (!matches)
            {
                return new CompareSetResult(current ?? ReadOnlyMemory<byte>.Empty, Swapped: false, Exists: exists);
            }

            var stored = desired.ToArray();
            StoreLocked(key, stored);
            return new CompareSetResult(stored, Swapped: true, Exists: true);
        }
    }

    public bool Delete(string key)
    {
        lock (_lock)
        {
            ThrowIfClosed();
            return _values.Remove(key);
        }
    }

    public bool Check(IReadOnlyCollection<string> keys)
    {
        lock (_lock)
        {
            ThrowIfClosed();
            foreach (var key in keys)
            {
                if (!_values.ContainsKey(key))
                {
                    return false;
                }
            }

            return true;
        }
    }

    public Task WaitAsync(IReadOnlyCollection<string> keys, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        WaitCoreAsync(keys, timeout, timeout, cancellationToken);

    private async Task WaitCoreAsync(IReadOnlyCollection<string> keys, TimeSpan timeout, TimeSpan reportedTimeout, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_lock)
        {
            ThrowIfClosed();
            var missing = keys.Where(k => !_values.ContainsKey(k)).Distinct(StringComparer.Ordinal).ToArray();
            if (missing.Length == 0)
            {
                return;
            }

            waiter = new Waiter(missing);
            foreach (var key in missing)
            {
                if (!_waiters.TryGetValue(key, out var list))
                {
                    _waiters[key] = list = [];
                }

                list.Add(waiter);
            }
        }

        try
        {
            await waiter.Completion.Task.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            string[] stillMissing;
            lock (_lock)
            {
                stillMissing = waiter.Keys.Where(k => !_values.ContainsKey(k)).ToArray();
            }

            throw new StoreTimeoutException(stillMissing.Length > 0 ? stillMissing : waiter.Keys, reportedTimeout);
        }
        finally
        {
            if (!waiter.Completion.Task.IsCompleted)
            {
                Unregister(waiter);
            }
        }
    }

    /// <summary>Drops the namespace: every pending and later call fails with <see cref="StoreClosedException"/>.</summary>
    internal void Close()
    {
        List<Waiter> pending;
        lock (_lock)
        {
            _closed = true;
            pending = _waiters.Values.SelectMany(w => w).Distinct().ToList();
            _waiters.Clear();
            _values.Clear();
        }

        foreach (var waiter in pending)
        {
            waiter.Completion.TrySetException(new StoreClosedException(Namespace));
        }
    }

    /// <summary>The number of registered waiters (for tests: proves timed-out waiters are removed).</summary>
    internal int WaiterCount
    {
        get { lock (_lock) { return _waiters.Values.SelectMany(w => w).Distinct().Count(); } }
    }

    private void StoreLocked(string key, byte[] value)
    {
        _values[key] = value;
        if (!_waiters.Remove(key, out var waiters))
        {
            return;
        }

        foreach (var waiter in waiters)
        {
            if (--waiter.Missing == 0)
            {
                // Continuations run asynchronously (see Waiter), so completing under the lock is safe.
                waiter.Completion.TrySetResult();
            }
        }
    }

    private void Unregister(Waiter waiter)
    {
        lock (_lock)
        {
            foreach (var key in waiter.Keys)
            {
                if (_waiters.TryGetValue(key, out var list) && list.Remove(waiter) && list.Count == 0)
                {
                    _waiters.Remove(key);
                }
            }
        }
    }

    private void ThrowIfClosed()
    {
        if (_closed)
        {
            throw new StoreClosedException(Namespace);
        }
    }

    private sealed class Waiter(string[] keys)
    {
        public string[] Keys { get; } = keys;

        public int Missing { get; set; } = keys.Length;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
