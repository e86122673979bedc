using System.Runtime.InteropServices;
using DistTrain.Torch.Native;

namespace DistTrain.Torch.Distributed;

/// <summary>Owns one native dt_process_group.</summary>
internal sealed class ProcessGroupHandle : SafeHandle
{
    public ProcessGroupHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == IntPtr.Zero;

    internal static ProcessGroupHandle Check(IntPtr native)
    {
        if (native == IntPtr.Zero) throw NativeError.Last();
        var h = new ProcessGroupHandle();
        h.SetHandle(native);
        return h;
    }

    protected override bool ReleaseHandle()
    {
        NativeMethods.dt_process_group_free(handle);
        return true;
    }
}

/// <summary>Owns one native dt_work.</summary>
internal sealed class WorkHandle : SafeHandle
{
    public WorkHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == IntPtr.Zero;

    internal static WorkHandle Check(IntPtr native)
    {
        if (native == IntPtr.Zero) throw NativeError.Last();
        var h = new WorkHandle();
        h.SetHandle(native);
        return h;
    }

    protected override bool ReleaseHandle()
    {
        NativeMethods.dt_work_free(handle);
        return true;
    }
}
