using System.Runtime.InteropServices;

namespace DistTrain.Native;

/// <summary>
/// The few CUDA driver calls (libcuda.so.1, present wherever the NVIDIA driver is) that order NCCL's
/// stream after the compute stream: the driver API rather than a libcudart, whose file name differs
/// between CUDA releases and LibTorch builds. TorchSharp computes on the legacy default stream (0).
/// </summary>
internal static unsafe partial class CudaDriverMethods
{
    internal const string Library = "libcuda.so.1";
    internal const int Success = 0;
    internal const int NotReady = 600;
    internal const uint StreamNonBlocking = 1;
    internal const uint EventDisableTiming = 2;
    internal static readonly IntPtr LegacyDefaultStream = IntPtr.Zero;

    [LibraryImport(Library)] internal static partial int cuInit(uint flags);
    [LibraryImport(Library)] internal static partial int cuDeviceGetCount(int* count);
    [LibraryImport(Library)] internal static partial int cuDeviceGet(int* device, int ordinal);
    [LibraryImport(Library)] internal static partial int cuDevicePrimaryCtxRetain(IntPtr* context, int device);
    [LibraryImport(Library, EntryPoint = "cuDevicePrimaryCtxRelease_v2")] internal static partial int cuDevicePrimaryCtxRelease(int device);
    [LibraryImport(Library)] internal static partial int cuCtxSetCurrent(IntPtr context);
    [LibraryImport(Library)] internal static partial int cuStreamCreate(IntPtr* stream, uint flags);
    [LibraryImport(Library, EntryPoint = "cuStreamDestroy_v2")] internal static partial int cuStreamDestroy(IntPtr stream);
    [LibraryImport(Library)] internal static partial int cuStreamWaitEvent(IntPtr stream, IntPtr evt, uint flags);
    [LibraryImport(Library)] internal static partial int cuEventCreate(IntPtr* evt, uint flags);
    [LibraryImport(Library, EntryPoint = "cuEventDestroy_v2")] internal static partial int cuEventDestroy(IntPtr evt);
    [LibraryImport(Library)] internal static partial int cuEventRecord(IntPtr evt, IntPtr stream);
    [LibraryImport(Library)] internal static partial int cuEventQuery(IntPtr evt);
    [LibraryImport(Library)] internal static partial int cuGetErrorString(int error, IntPtr* text);
    [LibraryImport(Library, EntryPoint = "cuMemAlloc_v2")] internal static partial int cuMemAlloc(IntPtr* pointer, nuint bytes);
    [LibraryImport(Library, EntryPoint = "cuMemFree_v2")] internal static partial int cuMemFree(IntPtr pointer);

    /// <summary>Throws with the driver's own words unless <paramref name="result"/> is success.</summary>
    internal static void Check(int result, string call)
    {
        if (result == Success) return;
        IntPtr text;
        var words = cuGetErrorString(result, &text) == Success ? Marshal.PtrToStringUTF8(text) : null;
        throw new Distributed.DistributedException($"{call} failed: CUDA error {result}{(words is null ? "" : $" ({words})")}");
    }
}
