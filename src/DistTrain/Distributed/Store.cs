using System.Text;

namespace DistTrain.Distributed;

/// <summary>
/// A key-value store with the semantics of PyTorch's <c>torch.distributed.Store</c>, which process
/// groups bootstrap through (each rank publishes its address, the others read it). Implement it to
/// plug any store in: the native layer calls these methods while the thread that creates the process
/// group is blocked in native code, so implementations must be thread-safe and must not depend on a
/// synchronization context. A failure must be raised as an exception (preferably a
/// <see cref="StoreException"/>); the group's creation then fails with its message.
/// </summary>
public abstract class Store
{
    private TimeSpan _timeout = DefaultTimeout;

    /// <summary>PyTorch's default store timeout: 300 s.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(300);

    /// <summary>How long <see cref="Get(string)"/> and <see cref="Wait(IReadOnlyList{string})"/> wait by default.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public TimeSpan Timeout
    {
        get => _timeout;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            _timeout = value;
        }
    }

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/>, waking whoever waits for it.</summary>
    public abstract void Set(string key, ReadOnlySpan<byte> value);

    /// <summary>Returns the value of <paramref name="key"/>, waiting until it exists, at most <paramref name="timeout"/>.</summary>
    /// <exception cref="StoreTimeoutException">The key did not appear in time.</exception>
    public abstract byte[] Get(string key, TimeSpan timeout);

    /// <summary>Adds <paramref name="delta"/> to the integer stored (as decimal text) under <paramref name="key"/>, created at 0; returns the sum.</summary>
    public abstract long Add(string key, long delta);

    /// <summary>
    /// Stores <paramref name="desired"/> when the value equals <paramref name="expected"/> (or the key
    /// is missing and <paramref name="expected"/> is empty); returns the value stored afterwards, or
    /// <paramref name="expected"/> when the key is missing (PyTorch's answer).
    /// </summary>
    public abstract byte[] CompareSet(string key, ReadOnlySpan<byte> expected, ReadOnlySpan<byte> desired);

    /// <summary>Deletes <paramref name="key"/>; returns whether it existed.</summary>
    public abstract bool DeleteKey(string key);

    /// <summary>Returns whether every one of <paramref name="keys"/> exists, without waiting.</summary>
    public abstract bool Check(IReadOnlyList<string> keys);

    /// <summary>Waits until every one of <paramref name="keys"/> exists, at most <paramref name="timeout"/>.</summary>
    /// <exception cref="StoreTimeoutException">Some key did not appear in time.</exception>
    public abstract void Wait(IReadOnlyList<string> keys, TimeSpan timeout);

    /// <summary>The number of keys in the store.</summary>
    public abstract long NumKeys();

    /// <summary>Returns the value of <paramref name="key"/>, waiting at most <see cref="Timeout"/>.</summary>
    /// <exception cref="StoreTimeoutException">The key did not appear in time.</exception>
    public byte[] Get(string key) => Get(key, Timeout);

    /// <summary>Waits until every one of <paramref name="keys"/> exists, at most <see cref="Timeout"/>.</summary>
    /// <exception cref="StoreTimeoutException">Some key did not appear in time.</exception>
    public void Wait(IReadOnlyList<string> keys) => Wait(keys, Timeout);

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/> as UTF-8.</summary>
    public void Set(string key, string value) => Set(key, Encoding.UTF8.GetBytes(value));

    /// <summary>Returns the value of <paramref name="key"/> read as UTF-8, waiting at most <see cref="Timeout"/>.</summary>
    public string GetString(string key) => Encoding.UTF8.GetString(Get(key));
}
