using System.Runtime.InteropServices;

namespace DistTrain.Native;

/// <summary>
/// NCCL's C API (nccl.h), loaded at run time from libnccl.so.2 (or DISTTRAIN_NCCL_LIBRARY). LibTorch's
/// CUDA builds carry NCCL statically and export none of it, so DistTrain calls the system's NCCL
/// (libnccl2, or pip's nvidia-nccl-cu12/13) on the device pointers of TorchSharp tensors.
/// </summary>
internal static unsafe partial class NcclMethods
{
    internal const string Library = "libnccl.so.2";

    static NcclMethods() => NativeLibraryLoader.Register();

    /// <summary>ncclUniqueId: 128 opaque bytes that rank 0 draws and every rank passes to ncclCommInitRank.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct UniqueId
    {
        public const int Size = 128;
        public fixed byte Bytes[Size];
    }

    internal enum Result
    {
        Success = 0, UnhandledCudaError = 1, SystemError = 2, InternalError = 3, InvalidArgument = 4,
        InvalidUsage = 5, RemoteError = 6, InProgress = 7,
    }

    internal enum DataType { Int8 = 0, Uint8 = 1, Int32 = 2, Uint32 = 3, Int64 = 4, Uint64 = 5, Float16 = 6, Float32 = 7, Float64 = 8, Bfloat16 = 9 }

    internal enum RedOp { Sum = 0, Prod = 1, Max = 2, Min = 3, Avg = 4 }

    [LibraryImport(Library)] internal static partial Result ncclGetVersion(int* version);
    [LibraryImport(Library)] internal static partial Result ncclGetUniqueId(UniqueId* id);
    [LibraryImport(Library)] internal static partial Result ncclCommInitRank(IntPtr* comm, int nranks, UniqueId id, int rank);
    [LibraryImport(Library)] internal static partial Result ncclCommAbort(IntPtr comm);
    [LibraryImport(Library)] internal static partial Result ncclCommDestroy(IntPtr comm);
    [LibraryImport(Library)] internal static partial Result ncclCommGetAsyncError(IntPtr comm, Result* error);
    [LibraryImport(Library)] internal static partial IntPtr ncclGetErrorString(Result result);
    [LibraryImport(Library)] internal static partial IntPtr ncclGetLastError(IntPtr comm);

    [LibraryImport(Library)] internal static partial Result ncclAllReduce(IntPtr send, IntPtr recv, nuint count, DataType type, RedOp op, IntPtr comm, IntPtr stream);
    [LibraryImport(Library)] internal static partial Result ncclBroadcast(IntPtr send, IntPtr recv, nuint count, DataType type, int root, IntPtr comm, IntPtr stream);
    [LibraryImport(Library)] internal static partial Result ncclAllGather(IntPtr send, IntPtr recv, nuint sendCount, DataType type, IntPtr comm, IntPtr stream);
    [LibraryImport(Library)] internal static partial Result ncclReduceScatter(IntPtr send, IntPtr recv, nuint recvCount, DataType type, RedOp op, IntPtr comm, IntPtr stream);

    /// <summary>Throws with NCCL's own words (and its last error detail) unless <paramref name="result"/> is success.</summary>
    internal static void Check(Result result, string call, IntPtr comm = default)
    {
        if (result == Result.Success) return;
        var text = Marshal.PtrToStringUTF8(ncclGetErrorString(result)) ?? result.ToString();
        var detail = comm == IntPtr.Zero ? "" : Marshal.PtrToStringUTF8(ncclGetLastError(comm)) ?? "";
        throw new Distributed.DistributedException($"{call} failed: {text} ({result}){(detail.Length > 0 ? ": " + detail : "")}");
    }
}
