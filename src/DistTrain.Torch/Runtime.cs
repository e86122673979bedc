using System.Runtime.InteropServices;
using DistTrain.Torch.Native;

namespace DistTrain.Torch;

public static partial class torch
{
    /// <summary>The libtorch version the native layer was built against, e.g. "1.13.1".</summary>
    public static string __version__ => Marshal.PtrToStringUTF8(NativeMethods.dt_libtorch_version()) ?? "unknown";

    /// <summary>Seeds every random number generator libtorch uses (CPU and CUDA).</summary>
    public static void manual_seed(long seed) => NativeMethods.dt_manual_seed(seed);

    /// <summary>
    /// Sets the number of threads libtorch uses inside one operation (OpenMP). With several worker
    /// processes on one machine keep threads × processes ≤ cores.
    /// </summary>
    public static void set_num_threads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        NativeMethods.dt_set_num_threads(threads);
    }

    /// <summary>The number of threads libtorch uses inside one operation.</summary>
    public static int get_num_threads() => NativeMethods.dt_get_num_threads();

    /// <summary>Sets the inter-op thread pool size; effective only before the pool is first used.</summary>
    public static void set_num_interop_threads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        NativeMethods.dt_set_num_interop_threads(threads);
    }

    /// <summary>The inter-op thread pool size.</summary>
    public static int get_num_interop_threads() => NativeMethods.dt_get_num_interop_threads();

    /// <summary>
    /// How DistTrain tuned glibc malloc when its native library loaded, so that a training step reuses the
    /// memory the previous step freed instead of page-faulting it in again. Set <c>DISTTRAIN_MALLOC_TUNING=0</c>
    /// before starting the process to leave malloc alone; MALLOC_MMAP_THRESHOLD_ / MALLOC_TRIM_THRESHOLD_ set by
    /// the user win over it.
    /// </summary>
    public static MallocTuning malloc_tuning => (MallocTuning)NativeMethods.dt_malloc_tuning();

    /// <summary>CUDA queries.</summary>
    public static class cuda
    {
        /// <summary>True when libtorch was built with CUDA and a GPU is visible.</summary>
        public static bool is_available() => NativeMethods.dt_cuda_is_available() != 0;

        /// <summary>The number of visible CUDA devices.</summary>
        public static int device_count() => NativeMethods.dt_cuda_device_count();
    }
}
