using DistTrain.Torch.Native;

namespace DistTrain.Torch.Distributed;

/// <summary>
/// c10d's TCPStore: one process (the server, usually rank 0) listens; every process, the server
/// included, connects to it. The bootstrap store of torchrun-style launches
/// (<c>MASTER_ADDR</c>/<c>MASTER_PORT</c>) when no coordinator is present.
/// </summary>
public sealed class TCPStore : Store, IDisposable
{
    private readonly NativeStore _store;

    /// <summary>Starts the server (<paramref name="isServer"/>) or connects to it.</summary>
    /// <param name="host">The server's address or host name.</param>
    /// <param name="port">The server's port; 0 lets the server pick a free one (see <see cref="Port"/>).</param>
    /// <param name="worldSize">How many processes will connect (informative; nothing waits for them), or 0.</param>
    /// <param name="isServer">Whether this process hosts the store.</param>
    /// <param name="timeout">How long connecting, <see cref="Store.Get(string)"/> and waits take at most; null: 300 s.</param>
    /// <exception cref="TorchException">The server could not listen, or the client could not connect in time.</exception>
    public TCPStore(string host, int port, int worldSize = 0, bool isServer = false, TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        var t = timeout ?? DefaultTimeout;
        StoreBridge.EnsureInstalled();
        _store = new NativeStore(StoreHandle.Check(NativeMethods.dt_store_tcp_create(host, port, worldSize, isServer, StoreBridge.Milliseconds(t))));
        Timeout = t;
    }

    /// <inheritdoc />
    protected override void OnTimeoutChanged(TimeSpan timeout)
    {
        if (_store is not null) _store.Timeout = timeout;
    }

    /// <summary>The port the server listens on (the real one when 0 was asked).</summary>
    public int Port
    {
        get
        {
            var port = NativeMethods.dt_store_tcp_port(_store.Native);
            return port < 0 ? throw NativeError.Last() : port;
        }
    }

    /// <inheritdoc />
    public override void Set(string key, ReadOnlySpan<byte> value) => _store.Set(key, value);

    /// <inheritdoc />
    public override byte[] Get(string key, TimeSpan timeout) => _store.Get(key, timeout);

    /// <inheritdoc />
    public override long Add(string key, long delta) => _store.Add(key, delta);

    /// <inheritdoc />
    public override byte[] CompareSet(string key, ReadOnlySpan<byte> expected, ReadOnlySpan<byte> desired) => _store.CompareSet(key, expected, desired);

    /// <inheritdoc />
    public override bool DeleteKey(string key) => _store.DeleteKey(key);

    /// <inheritdoc />
    public override bool Check(IReadOnlyList<string> keys) => _store.Check(keys);

    /// <inheritdoc />
    public override void Wait(IReadOnlyList<string> keys, TimeSpan timeout) => _store.Wait(keys, timeout);

    /// <inheritdoc />
    public override long NumKeys() => _store.NumKeys();

    internal override StoreHandle OpenNative() => _store.OpenNative();

    /// <summary>Releases this process's reference; the server stops when no process group uses it any more.</summary>
    public void Dispose() => _store.Dispose();
}
