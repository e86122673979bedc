using DistTrain.Torch.Native;

namespace DistTrain.Torch.Distributed;

/// <summary>Owns one native dt_store handle (a reference to a c10d store).</summary>
internal sealed class StoreHandle : System.Runtime.InteropServices.SafeHandle
{
    public StoreHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    internal StoreHandle(IntPtr native) : this() => SetHandle(native);

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Wraps a handle a native call returned, throwing the native error when it is NULL.</summary>
    internal static StoreHandle Check(IntPtr native) =>
        native == IntPtr.Zero ? throw NativeError.Last() : new StoreHandle(native);

    protected override bool ReleaseHandle()
    {
        NativeMethods.dt_store_free(handle);
        return true;
    }
}
