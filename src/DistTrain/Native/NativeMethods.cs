using System.Runtime.InteropServices;

namespace DistTrain.Native;

/// <summary>
/// The C ABI of libdisttrain_native.so, mirrored one to one from
/// src/DistTrain.Native/include/disttrain_native.h (see there for the contract of every entry point).
/// The library is loaded by <see cref="NativeLibraryLoader"/>.
/// </summary>
internal static unsafe partial class NativeMethods
{
    internal const string Library = "disttrain_native";

    static NativeMethods() => NativeLibraryLoader.Register();

    [LibraryImport(Library)] internal static partial IntPtr dt_last_error();
    [LibraryImport(Library)] internal static partial int dt_tune_malloc();

    [LibraryImport(Library)] internal static partial void dt_store_set_callbacks(StoreCallbackTable* callbacks);
    [LibraryImport(Library)] internal static partial void dt_store_result_set(void* result, byte* data, long length);

    [LibraryImport(Library)] internal static partial IntPtr dt_group_create(long storeId, int rank, int size, GroupOptions* options);
    [LibraryImport(Library)] internal static partial int dt_group_rank(IntPtr group);
    [LibraryImport(Library)] internal static partial int dt_group_size(IntPtr group);
    [LibraryImport(Library)] internal static partial int dt_group_local_all_reduce(IntPtr group);
    [LibraryImport(Library)] internal static partial IntPtr dt_group_local_all_reduce_status(IntPtr group);
    [LibraryImport(Library)] internal static partial void dt_group_free(IntPtr group);

    [LibraryImport(Library)] internal static partial IntPtr dt_all_reduce(IntPtr group, void* data, long count, int dtype, int op, long timeoutMs);
    [LibraryImport(Library)] internal static partial IntPtr dt_broadcast(IntPtr group, void* data, long count, int dtype, int root, long timeoutMs);
    [LibraryImport(Library)] internal static partial IntPtr dt_all_gather(IntPtr group, void* input, void* output, long count, int dtype, long timeoutMs);
    [LibraryImport(Library)] internal static partial IntPtr dt_reduce_scatter(IntPtr group, void* input, void* output, long count, int dtype, int op, long timeoutMs);
    [LibraryImport(Library)] internal static partial IntPtr dt_barrier(IntPtr group, long timeoutMs);

    [LibraryImport(Library)] internal static partial int dt_shared_buffer_create(IntPtr group, long bytes, long timeoutMs, IntPtr* slab);
    [LibraryImport(Library)] internal static partial void dt_shared_buffer_release(IntPtr slab);

    [LibraryImport(Library)] internal static partial int dt_work_wait(IntPtr work, long timeoutMs);
    [LibraryImport(Library)] internal static partial int dt_work_is_completed(IntPtr work);
    [LibraryImport(Library)] internal static partial void dt_work_free(IntPtr work);

    /// <summary>The calling thread's last native error message.</summary>
    internal static string LastError() => Marshal.PtrToStringUTF8(dt_last_error()) ?? "";

    /// <summary>dt_group_options.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct GroupOptions
    {
        public long TimeoutMs;
        public long StoreTimeoutMs;
        public byte* Interface;
        public byte* Hostname;
        public int LocalAllReduce;
    }

    /// <summary>dt_store_callbacks.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct StoreCallbackTable
    {
        public delegate* unmanaged<long, byte*, int, byte*, long, byte*, int, int> Set;
        public delegate* unmanaged<long, byte*, int, long, void*, byte*, int, int> Get;
        public delegate* unmanaged<long, byte*, int, long, long*, byte*, int, int> Add;
        public delegate* unmanaged<long, byte**, int*, int, long, byte*, int, int> Wait;
    }
}

/// <summary>What dt_work_wait reports (the DT_WORK_* codes of the header).</summary>
internal enum WorkStatus
{
    Done = 0,
    Pending = 1,
    TimedOut = 2,
    PeerLost = 3,
    Mismatch = 4,
    Broken = 5,
    Failed = 6,
}
