using System.Runtime.InteropServices;
using TorchSharp;

namespace DistTrain.Native;

/// <summary>
/// A TorchSharp tensor over a slab of a shared buffer (dt_shared_buffer_create): LibTorch owns it
/// like any tensor and calls dt_shared_buffer_release, its deleter, when the last view of it is gone.
/// </summary>
internal static unsafe partial class SharedTensor
{
    /// <summary>Wraps <paramref name="slab"/> as a CPU tensor of <paramref name="shape"/>; releases the slab if that fails.</summary>
    public static torch.Tensor Wrap(IntPtr slab, long[] shape, torch.ScalarType dtype)
    {
        var deleter = NativeLibraryLoader.Export(nameof(NativeMethods.dt_shared_buffer_release));
        IntPtr handle;
        fixed (long* sizes = shape)
        {
            handle = THSTensor_new(slab, deleter, sizes, shape.Length, (sbyte)dtype, (sbyte)dtype, (int)DeviceType.CPU, -1, false);
        }
        if (handle != IntPtr.Zero) return torch.Tensor.UnsafeCreateTensor(handle);
        NativeMethods.dt_shared_buffer_release(slab);
        throw new InvalidOperationException($"TorchSharp could not wrap a shared buffer of shape [{string.Join(", ", shape)}] {dtype} as a tensor.");
    }

    // TorchSharp's own native library: torch::from_blob with a deleter.
    [LibraryImport("LibTorchSharp")]
    private static partial IntPtr THSTensor_new(IntPtr data, IntPtr deleter, long* sizes, int length, sbyte scalarType, sbyte dtype,
        int deviceType, int deviceIndex, [MarshalAs(UnmanagedType.U1)] bool requiresGrad);
}
