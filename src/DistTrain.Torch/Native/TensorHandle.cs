using System.Runtime.InteropServices;

namespace DistTrain.Torch.Native;

/// <summary>Owns one native at::Tensor handle; releasing it frees the handle exactly once.</summary>
internal sealed class TensorHandle : SafeHandle
{
    /// <summary>A handle standing for "no tensor" (NULL), for optional native arguments.</summary>
    internal static readonly TensorHandle Null = new();

    public TensorHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.dt_tensor_free(handle);
        return true;
    }
}
