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

/// <summary>Passes a list of tensors to native code as an array of raw handles, keeping them alive during the call.</summary>
internal static class TensorHandles
{
    public static unsafe T With<T>(IReadOnlyList<torch.Tensor> tensors, Func<nint, int, T> call)
    {
        var raw = new IntPtr[tensors.Count];
        var added = new bool[tensors.Count];
        try
        {
            for (var i = 0; i < raw.Length; i++)
            {
                var h = tensors[i].Handle;
                h.DangerousAddRef(ref added[i]);
                raw[i] = h.DangerousGetHandle();
            }
            fixed (IntPtr* p = raw) return call((nint)p, raw.Length);
        }
        finally
        {
            for (var i = 0; i < raw.Length; i++)
                if (added[i]) tensors[i].Handle.DangerousRelease();
        }
    }
}
