using System.Runtime.InteropServices;
using DistTrain.Torch.Native;

namespace DistTrain.Torch.Distributed;

/// <summary>
/// A <see cref="Store"/> over a native c10d store: every call goes through c10d's own Store API
/// (the calls c10d makes itself). Used by <see cref="TCPStore"/>, and by tests to drive a managed
/// store through its native bridge.
/// </summary>
internal unsafe class NativeStore : Store, IDisposable
{
    private readonly StoreHandle _handle;

    internal NativeStore(StoreHandle handle)
    {
        _handle = handle;
        NativeError.Check(NativeMethods.dt_store_get_timeout(Native, out var ms));
        Timeout = TimeSpan.FromMilliseconds(ms);
    }

    /// <summary>The native store (valid while this object is alive).</summary>
    internal IntPtr Native
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle.DangerousGetHandle();
        }
    }

    /// <summary>Passes the new timeout on to the native store.</summary>
    protected override void OnTimeoutChanged(TimeSpan timeout) =>
        NativeError.Check(NativeMethods.dt_store_set_timeout(Native, StoreBridge.Milliseconds(timeout)));

    public override void Set(string key, ReadOnlySpan<byte> value)
    {
        fixed (byte* p = value) NativeError.Check(NativeMethods.dt_store_set(Native, key, p, value.Length));
    }

    /// <summary>c10d's get waits for the store's own timeout; <paramref name="timeout"/> bounds it with a wait first.</summary>
    public override byte[] Get(string key, TimeSpan timeout)
    {
        if (timeout != Timeout) Wait([key], timeout);
        NativeError.Check(NativeMethods.dt_store_get(Native, key, out var data, out var length));
        return TakeBuffer(data, length);
    }

    public override long Add(string key, long delta)
    {
        NativeError.Check(NativeMethods.dt_store_add(Native, key, delta, out var value));
        return value;
    }

    public override byte[] CompareSet(string key, ReadOnlySpan<byte> expected, ReadOnlySpan<byte> desired)
    {
        IntPtr data;
        long length;
        fixed (byte* e = expected)
        fixed (byte* d = desired)
        {
            NativeError.Check(NativeMethods.dt_store_compare_set(Native, key, e, expected.Length, d, desired.Length, out data, out length));
        }

        return TakeBuffer(data, length);
    }

    public override bool DeleteKey(string key)
    {
        NativeError.Check(NativeMethods.dt_store_delete_key(Native, key, out var existed));
        return existed != 0;
    }

    public override bool Check(IReadOnlyList<string> keys)
    {
        var array = keys.ToArray();
        NativeError.Check(NativeMethods.dt_store_check(Native, array, array.Length, out var all));
        return all != 0;
    }

    public override void Wait(IReadOnlyList<string> keys, TimeSpan timeout)
    {
        var array = keys.ToArray();
        NativeError.Check(NativeMethods.dt_store_wait(Native, array, array.Length, StoreBridge.Milliseconds(timeout)));
    }

    public override long NumKeys()
    {
        NativeError.Check(NativeMethods.dt_store_num_keys(Native, out var count));
        return count;
    }

    internal override StoreHandle OpenNative() => StoreHandle.Check(NativeMethods.dt_store_alias(Native));

    /// <summary>Releases this reference to the native store.</summary>
    public void Dispose() => _handle.Dispose();

    private static byte[] TakeBuffer(IntPtr data, long length)
    {
        try
        {
            var value = new byte[length];
            if (length > 0) Marshal.Copy(data, value, 0, checked((int)length));
            return value;
        }
        finally
        {
            NativeMethods.dt_buffer_free(data);
        }
    }
}
