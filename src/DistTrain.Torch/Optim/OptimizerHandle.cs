using System.Runtime.InteropServices;
using DistTrain.Torch.Native;

namespace DistTrain.Torch.Optim;

/// <summary>Owns one native optimizer (its parameters' references and state); releasing it frees them.</summary>
internal sealed class OptimizerHandle : SafeHandle
{
    public OptimizerHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.dt_optim_free(handle);
        return true;
    }
}
