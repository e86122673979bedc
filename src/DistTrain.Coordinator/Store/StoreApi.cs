namespace DistTrain.Coordinator.Store;

/// <summary>
/// A key-value store with the semantics of c10d's <c>Store</c>: keys are text, values are bytes,
/// integer values (<see cref="Add"/>) are decimal ASCII text. Every member is thread-safe; the
/// blocking calls wait without holding a thread.
/// </summary>
public interface IKeyValueStore
{
    /// <summary>The namespace this store serves (for example <c>round-3</c>).</summary>
    string Namespace { get; }

    /// <summary>The number of keys stored.</summary>
    long Count { get; }

    /// <summary>Sets <paramref name="key"/> to a copy of <paramref name="value"/> and wakes every waiter on it.</summary>
    /// <exception cref="StoreClosedException">The namespace was dropped.</exception>
    void Set(string key, ReadOnlySpan<byte> value);

    /// <summary>
    /// Returns the value of <paramref name="key"/>, waiting until the key exists, at most
    /// <paramref name="timeout"/> (<see cref="TimeSpan.Zero"/>: do not wait).
    /// </summary>
    /// <exception cref="StoreTimeoutException">The key did not appear in time.</exception>
    /// <exception cref="StoreClosedException">The namespace was dropped while waiting.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<ReadOnlyMemory<byte>> GetAsync(string key, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds <paramref name="delta"/> to the integer value of <paramref name="key"/> (created at 0)
    /// atomically, stores the result as decimal ASCII text and returns it.
    /// </summary>
    /// <exception cref="StoreValueException">The current value is not a decimal integer, or the sum overflows.</exception>
    long Add(string key, long delta);

    /// <summary>
    /// Sets <paramref name="key"/> to <paramref name="desired"/> if its value equals
    /// <paramref name="expected"/>, or if the key is missing and <paramref name="expected"/> is empty.
    /// </summary>
    CompareSetResult CompareSet(string key, ReadOnlySpan<byte> expected, ReadOnlySpan<byte> desired);

    /// <summary>Deletes <paramref name="key"/>; returns whether it existed.</summary>
    bool Delete(string key);

    /// <summary>Returns whether every one of <paramref name="keys"/> exists, without waiting.</summary>
    bool Check(IReadOnlyCollection<string> keys);

    /// <summary>Waits until every one of <paramref name="keys"/> exists, at most <paramref name="timeout"/>.</summary>
    /// <exception cref="StoreTimeoutException">Some keys did not appear in time; the exception names them.</exception>
    /// <exception cref="StoreClosedException">The namespace was dropped while waiting.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task WaitAsync(IReadOnlyCollection<string> keys, TimeSpan timeout, CancellationToken cancellationToken = default);
}

/// <summary>The outcome of <see cref="IKeyValueStore.CompareSet"/>.</summary>
/// <param name="Value">The value stored after the call (empty when the key is missing).</param>
/// <param name="Swapped">Whether the desired value was stored.</param>
/// <param name="Exists">Whether the key exists after the call.</param>
public readonly record struct CompareSetResult(ReadOnlyMemory<byte> Value, bool Swapped, bool Exists);

/// <summary>The store namespaces of a job: one per closed rendezvous round.</summary>
public interface IStoreNamespaces
{
    /// <summary>Returns the store of <paramref name="name"/>.</summary>
    /// <exception cref="StoreNamespaceNotFoundException">No such namespace exists (any more).</exception>
    IKeyValueStore Get(string name);

    /// <summary>Creates the namespace <paramref name="name"/> (empty) and drops every other one, failing their waiters.</summary>
    IKeyValueStore Replace(string name);
}

/// <summary>Settings of the key-value store.</summary>
public sealed class StoreOptions
{
    /// <summary>How long a get or wait waits when the caller gives no timeout (c10d's default: 300 s).</summary>
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>The longest key accepted, in characters.</summary>
    public int MaxKeyLength { get; set; } = 4096;
}

/// <summary>The base of every store failure.</summary>
public abstract class StoreException(string message) : Exception(message);

/// <summary>A get or wait ran out of time before its keys existed.</summary>
public sealed class StoreTimeoutException(IReadOnlyList<string> missingKeys, TimeSpan timeout)
    : StoreException($"Timed out after {timeout.TotalMilliseconds:0} ms waiting for the key(s) {string.Join(", ", missingKeys.Select(k => $"'{k}'"))}.")
{
    /// <summary>The keys that were still missing.</summary>
    public IReadOnlyList<string> MissingKeys { get; } = missingKeys;
}

/// <summary>The namespace was dropped (a later rendezvous round closed).</summary>
public sealed class StoreClosedException(string name)
    : StoreException($"The store namespace '{name}' was dropped because a later rendezvous round closed.");

/// <summary>No namespace of that name exists.</summary>
public sealed class StoreNamespaceNotFoundException(string name)
    : StoreException($"The store namespace '{name}' does not exist; use the store_namespace of the world your node holds.");

/// <summary>A value cannot be used as asked (not an integer, or an overflow).</summary>
public sealed class StoreValueException(string message) : StoreException(message);
