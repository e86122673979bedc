using System.Runtime.InteropServices;
using TorchSharp;

namespace DistTrain.Native;

/// <summary>Where a TorchSharp tensor's elements are (host or device memory), and what kind they are.</summary>
internal static partial class TensorMemory
{
    /// <summary>The address of the tensor's first element (its storage plus offset); a device pointer on CUDA.</summary>
    public static IntPtr Address(torch.Tensor tensor) => tensor.numel() == 0 ? IntPtr.Zero : THSTensor_data(tensor.Handle);

    /// <summary>Whether elements of <paramref name="type"/> are floating point.</summary>
    public static bool IsFloatingPoint(torch.ScalarType type) =>
        type is torch.ScalarType.Float16 or torch.ScalarType.BFloat16 or torch.ScalarType.Float32 or torch.ScalarType.Float64;

    /// <summary>Bytes per element of <paramref name="type"/>.</summary>
    public static long ElementSize(torch.ScalarType type) => type switch
    {
        torch.ScalarType.Byte or torch.ScalarType.Int8 or torch.ScalarType.Bool => 1,
        torch.ScalarType.Int16 or torch.ScalarType.Float16 or torch.ScalarType.BFloat16 => 2,
        torch.ScalarType.Int32 or torch.ScalarType.Float32 => 4,
        torch.ScalarType.Int64 or torch.ScalarType.Float64 or torch.ScalarType.ComplexFloat32 => 8,
        torch.ScalarType.ComplexFloat64 => 16,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, $"no element size known for {type}"),
    };

    // TorchSharp's own native library (loaded by TorchSharp before any tensor exists).
    [LibraryImport("LibTorchSharp")]
    private static partial IntPtr THSTensor_data(IntPtr tensor);
}
