using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using DistTrain.Torch.Native;

namespace DistTrain.Torch.Autograd;

/// <summary>
/// The bridge that lets libtorch's autograd engine call managed code (gradient hooks, queued
/// callbacks). Each callback is kept alive by a GCHandle whose address is its id on the native side;
/// the native owner releases the id when it is gone. A managed exception never escapes into native
/// code: it is turned into an error message, which makes backward fail with that message.
/// </summary>
internal static unsafe class ManagedCallbacks
{
    static ManagedCallbacks() =>
        NativeMethods.dt_autograd_set_callbacks(&Invoke, &Release);

    /// <summary>Makes sure the native side knows the callbacks (runs the static constructor once).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void EnsureInstalled() { }

    /// <summary>An id standing for <paramref name="callback"/> until the native side releases it.</summary>
    internal static long Register(Action callback)
    {
        EnsureInstalled();
        return (long)GCHandle.ToIntPtr(GCHandle.Alloc(callback));
    }

    /// <summary>Frees an id the native side never took ownership of (its call failed).</summary>
    internal static void Free(long id) => GCHandle.FromIntPtr((IntPtr)id).Free();

    [UnmanagedCallersOnly]
    private static int Invoke(long id, byte* error, int capacity)
    {
        try
        {
            ((Action)GCHandle.FromIntPtr((IntPtr)id).Target!)();
            return 0;
        }
        catch (Exception e)
        {
            return CallbackError.Report(e, error, capacity);
        }
    }

    [UnmanagedCallersOnly]
    private static void Release(long id)
    {
        try { GCHandle.FromIntPtr((IntPtr)id).Free(); }
        catch { /* nothing may escape into native code */ }
    }
}
