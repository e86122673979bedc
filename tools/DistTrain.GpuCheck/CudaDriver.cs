using System.Runtime.InteropServices;

namespace DistTrain.GpuCheck;

/// <summary>
/// The CUDA driver calls this check needs beyond DistTrain's own (src/DistTrain/Native/CudaDriverMethods.cs, used for the rest):
/// raw device memory, copies, a host-visible flag a stream can wait on, and synchronisation. Device
/// pointers (CUdeviceptr) are 64-bit integers, carried as IntPtr like CollectiveBuffer.Data.
/// </summary>
internal static unsafe partial class CudaDriver
{
    private const string Library = "libcuda.so.1";
    internal const int AttributeComputeCapabilityMajor = 75;
    internal const int AttributeComputeCapabilityMinor = 76;
    internal const uint HostAllocPortable = 0x01;
    internal const uint HostAllocDeviceMap = 0x02;
    internal const uint StreamWaitValueGeq = 0x0;

    [LibraryImport(Library)] internal static partial int cuDriverGetVersion(int* version);
    [LibraryImport(Library)] internal static partial int cuDeviceGetName(byte* name, int length, int device);
    [LibraryImport(Library, EntryPoint = "cuDeviceTotalMem_v2")] internal static partial int cuDeviceTotalMem(nuint* bytes, int device);
    [LibraryImport(Library)] internal static partial int cuDeviceGetAttribute(int* value, int attribute, int device);
    [LibraryImport(Library)] internal static partial int cuCtxSynchronize();
    [LibraryImport(Library, EntryPoint = "cuMemcpyHtoD_v2")] internal static partial int cuMemcpyHtoD(IntPtr destination, void* source, nuint bytes);
    [LibraryImport(Library, EntryPoint = "cuMemcpyDtoH_v2")] internal static partial int cuMemcpyDtoH(void* destination, IntPtr source, nuint bytes);
    [LibraryImport(Library, EntryPoint = "cuMemsetD32_v2")] internal static partial int cuMemsetD32(IntPtr destination, uint value, nuint count);
    [LibraryImport(Library)] internal static partial int cuMemsetD32Async(IntPtr destination, uint value, nuint count, IntPtr stream);
    [LibraryImport(Library)] internal static partial int cuMemHostAlloc(void** pointer, nuint bytes, uint flags);
    [LibraryImport(Library)] internal static partial int cuMemFreeHost(void* pointer);
    [LibraryImport(Library, EntryPoint = "cuMemHostGetDevicePointer_v2")] internal static partial int cuMemHostGetDevicePointer(IntPtr* device, void* host, uint flags);
    [LibraryImport(Library, EntryPoint = "cuStreamWaitValue32_v2")] internal static partial int cuStreamWaitValue32(IntPtr stream, IntPtr address, uint value, uint flags);
    [LibraryImport(Library)] internal static partial int cuGetErrorName(int error, IntPtr* name);

    /// <summary>Throws with the driver's name and words for the error unless <paramref name="result"/> is success.</summary>
    internal static void Check(int result, string call)
    {
        if (result != 0) throw new CudaException($"{call} failed: {Describe(result)}");
    }

    internal static string Describe(int result)
    {
        IntPtr name, text;
        var n = cuGetErrorName(result, &name) == 0 ? Marshal.PtrToStringUTF8(name) : null;
        var t = DistTrain.Native.CudaDriverMethods.cuGetErrorString(result, &text) == 0 ? Marshal.PtrToStringUTF8(text) : null;
        return $"CUDA error {result}{(n is null ? "" : " " + n)}{(t is null ? "" : $" ({t})")}";
    }
}

internal sealed class CudaException(string message) : Exception(message);

/// <summary>Device memory from cuMemAlloc, with synchronous copies on the legacy default stream.</summary>
internal sealed unsafe class DeviceBuffer : IDisposable
{
    public DeviceBuffer(long bytes)
    {
        IntPtr p;
        CudaDriver.Check(DistTrain.Native.CudaDriverMethods.cuMemAlloc(&p, (nuint)bytes), $"cuMemAlloc({bytes})");
        Pointer = p;
        Bytes = bytes;
    }

    public IntPtr Pointer { get; private set; }
    public long Bytes { get; }

    public void Upload(ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data) CudaDriver.Check(CudaDriver.cuMemcpyHtoD(Pointer, p, (nuint)data.Length), "cuMemcpyHtoD");
    }

    public byte[] Download()
    {
        var data = GC.AllocateUninitializedArray<byte>(checked((int)Bytes));
        fixed (byte* p = data) CudaDriver.Check(CudaDriver.cuMemcpyDtoH(p, Pointer, (nuint)Bytes), "cuMemcpyDtoH");
        return data;
    }

    /// <summary>Fills every 32-bit word with <paramref name="word"/> (synchronously).</summary>
    public void Fill(uint word) => CudaDriver.Check(CudaDriver.cuMemsetD32(Pointer, word, (nuint)(Bytes / 4)), "cuMemsetD32");

    public void Dispose()
    {
        if (Pointer == IntPtr.Zero) return;
        DistTrain.Native.CudaDriverMethods.cuMemFree(Pointer);
        Pointer = IntPtr.Zero;
    }
}

/// <summary>
/// Holds the legacy default stream (the "compute stream" NcclBackend orders its collectives after) until
/// released: the stream waits on a host-mapped word that the CPU sets to 1. Released on dispose too, so a
/// failing check never leaves the GPU blocked. Falls back to a queue of large memsets when the driver
/// refuses stream memory operations (then the stream is busy for some tens of milliseconds, not held).
/// </summary>
internal sealed unsafe class StreamGate : IDisposable
{
    private readonly uint* flag;
    private readonly DeviceBuffer? filler;
    private readonly Timer? safety;

    /// <param name="releaseAfterMs">Releases the stream by itself after this long, so that nothing can deadlock on it.</param>
    public StreamGate(int releaseAfterMs = 10_000)
    {
        void* host;
        IntPtr device;
        var r = CudaDriver.cuMemHostAlloc(&host, 64, CudaDriver.HostAllocPortable | CudaDriver.HostAllocDeviceMap);
        if (r == 0)
        {
            flag = (uint*)host;
            Volatile.Write(ref *flag, 0u);
            r = CudaDriver.cuMemHostGetDevicePointer(&device, host, 0);
            if (r == 0) r = WaitValue(device);
            if (r == 0)
            {
                Method = "cuStreamWaitValue32 on a host-mapped flag";
                safety = new Timer(_ => Release(), null, releaseAfterMs, Timeout.Infinite);
                return;
            }
            CudaDriver.cuMemFreeHost(host);
            flag = null;
        }
        // Fallback: keep the stream busy with 48 memsets of 2 GiB (~3-5 TB/s: about 20-40 ms in all).
        Method = $"queued memsets (stream memory operations refused: {CudaDriver.Describe(r)})";
        filler = new DeviceBuffer(2L << 30);
        for (var i = 0; i < 48; i++)
            CudaDriver.Check(CudaDriver.cuMemsetD32Async(filler.Pointer, (uint)i, (nuint)(filler.Bytes / 4), IntPtr.Zero), "cuMemsetD32Async");
    }

    /// <summary>How the stream is held.</summary>
    public string Method { get; }

    /// <summary>Whether the stream is held until <see cref="Release"/> (not only busy for a while).</summary>
    public bool Holds => flag != null;

    private static int WaitValue(IntPtr device)
    {
        try { return CudaDriver.cuStreamWaitValue32(IntPtr.Zero, device, 1, CudaDriver.StreamWaitValueGeq); }
        catch (EntryPointNotFoundException) { return 500; } // CUDA_ERROR_NOT_FOUND
    }

    private bool freed;

    public void Release()
    {
        lock (this)
            if (flag != null && !freed) Volatile.Write(ref *flag, 1u);
    }

    public void Dispose()
    {
        safety?.Dispose();
        Release();
        // The stream must have passed the wait before the flag's memory goes away.
        CudaDriver.cuCtxSynchronize();
        lock (this)
        {
            freed = true;
            if (flag != null) CudaDriver.cuMemFreeHost(flag);
        }
        filler?.Dispose();
    }
}
