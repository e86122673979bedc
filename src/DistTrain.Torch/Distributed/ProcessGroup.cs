using System.Runtime.InteropServices;
using DistTrain.Torch.Native;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Distributed;

/// <summary>
/// A group of processes that run collectives together: c10d's ProcessGroupGloo (CPU tensors) or
/// ProcessGroupNCCL (CUDA tensors). Every rank must call the same collectives in the same order.
/// Each collective has a blocking form and an <c>_async</c> form returning a <see cref="Work"/>;
/// each takes a timeout (null: the group's), after which it fails with a
/// <see cref="CollectiveTimeoutException"/> naming the collective, the rank and the time waited.
/// A tensor that is a non-contiguous view (a transpose, a column slice) goes to the backend as a
/// contiguous copy, and the result is written back into the view when the work is waited for.
/// </summary>
public sealed class ProcessGroup : IDisposable
{
    /// <summary>PyTorch's default collective timeout: 30 minutes.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(30);

    private readonly ProcessGroupHandle _handle;
    private readonly int _rank;
    private readonly int _size;

    private ProcessGroup(ProcessGroupHandle handle, TimeSpan timeout)
    {
        _handle = handle;
        _rank = NativeMethods.dt_process_group_rank(handle.DangerousGetHandle());
        _size = NativeMethods.dt_process_group_size(handle.DangerousGetHandle());
        Backend = (Backend)NativeMethods.dt_process_group_backend(handle.DangerousGetHandle());
        UsesLocalAllReduce = NativeMethods.dt_process_group_local_all_reduce(handle.DangerousGetHandle()) != 0;
        LocalAllReduceStatus = Marshal.PtrToStringUTF8(NativeMethods.dt_process_group_local_all_reduce_status(handle.DangerousGetHandle())) ?? "";
        Timeout = timeout;
    }

    /// <summary>
    /// Creates a Gloo group: blocks until all <paramref name="size"/> ranks have connected, exchanging
    /// addresses through <paramref name="store"/> (at most the store's timeout). When every rank runs on
    /// this host, sums also get a shared-memory path (<see cref="GlooOptions.LocalAllReduce"/>).
    /// </summary>
    /// <exception cref="TorchException">The store failed or timed out, or Gloo could not connect.</exception>
    public static ProcessGroup Gloo(Store store, int rank, int size, GlooOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        options ??= new GlooOptions();
        using var native = store.OpenNative();
        var handle = ProcessGroupHandle.Check(NativeMethods.dt_process_group_gloo_create(
            native.DangerousGetHandle(), rank, size, StoreBridge.Milliseconds(options.Timeout), options.NetworkInterface, options.Hostname, options.Threads, options.LocalAllReduce ? 1 : 0));
        return new ProcessGroup(handle, options.Timeout);
    }

    /// <summary>Creates an NCCL group (CUDA tensors; the current CUDA device must be this rank's).</summary>
    /// <exception cref="TorchException">This native layer was built without NCCL, or NCCL failed.</exception>
    public static ProcessGroup Nccl(Store store, int rank, int size, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        var t = timeout ?? DefaultTimeout;
        using var native = store.OpenNative();
        var handle = ProcessGroupHandle.Check(NativeMethods.dt_process_group_nccl_create(native.DangerousGetHandle(), rank, size, StoreBridge.Milliseconds(t)));
        return new ProcessGroup(handle, t);
    }

    /// <summary>Whether the native layer was built against a libtorch with NCCL.</summary>
    public static bool is_nccl_available() => NativeMethods.dt_nccl_is_available() != 0;

    /// <summary>Makes <paramref name="device"/> the current device of its type (pins a rank to its GPU, as <c>torch.cuda.set_device</c>).</summary>
    /// <exception cref="TorchException">This libtorch has no such device.</exception>
    public static void set_device(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        NativeError.Check(NativeMethods.dt_distributed_set_device((int)device.type, device.index));
    }

    /// <summary>This process's rank in the group, from 0.</summary>
    public int rank() => _rank;

    /// <summary>The number of processes in the group.</summary>
    public int size() => _size;

    /// <summary>The backend the group runs on.</summary>
    public Backend Backend { get; }

    /// <summary>The backend's name as PyTorch spells it: <c>gloo</c> or <c>nccl</c>.</summary>
    public string BackendName => Backend == Backend.Nccl ? "nccl" : "gloo";

    /// <summary>
    /// Whether all_reduce SUM/AVG of CPU float/double/int/long tensors runs through shared
    /// memory (every rank is on this host and <see cref="GlooOptions.LocalAllReduce"/> was left on).
    /// </summary>
    public bool UsesLocalAllReduce { get; }

    /// <summary>
    /// Why sums do not go through shared memory (which rank could not map the segment, and what it got:
    /// another host's <c>/dev/shm</c>, a full <c>/dev/shm</c>, turned off), or that they do; empty for NCCL.
    /// </summary>
    public string LocalAllReduceStatus { get; }

    /// <summary>The default timeout of every collective.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The native dt_process_group (for native code that takes the group, such as DDP's reducer); valid while this object is alive.</summary>
    internal IntPtr NativeHandle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle.DangerousGetHandle();
        }
    }

    /// <summary>Reduces <paramref name="tensor"/> across all ranks in place: every rank ends with the result.</summary>
    public void all_reduce(Tensor tensor, ReduceOp op = ReduceOp.SUM, TimeSpan? timeout = null) => Run(all_reduce_async(tensor, op, timeout));

    /// <summary>Starts <see cref="all_reduce"/>; the tensor holds the result once the work has been waited for.</summary>
    public Work all_reduce_async(Tensor tensor, ReduceOp op = ReduceOp.SUM, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return Start("all_reduce", timeout, ms => NativeMethods.dt_all_reduce(NativeHandle, tensor.Handle, (int)op, ms));
    }

    /// <summary>Copies rank <paramref name="src"/>'s <paramref name="tensor"/> into every other rank's, in place.</summary>
    public void broadcast(Tensor tensor, int src = 0, TimeSpan? timeout = null) => Run(broadcast_async(tensor, src, timeout));

    /// <summary>Starts <see cref="broadcast"/>.</summary>
    public Work broadcast_async(Tensor tensor, int src = 0, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return Start("broadcast", timeout, ms => NativeMethods.dt_broadcast(NativeHandle, tensor.Handle, src, ms));
    }

    /// <summary>Gathers every rank's <paramref name="input"/>: <paramref name="outputs"/>[i] (one per rank, shaped like the input) receives rank i's.</summary>
    public void all_gather(IList<Tensor> outputs, Tensor input, TimeSpan? timeout = null) => Run(all_gather_async(outputs, input, timeout));

    /// <summary>Starts <see cref="all_gather"/>.</summary>
    public unsafe Work all_gather_async(IList<Tensor> outputs, Tensor input, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(input);
        return Start("all_gather", timeout, ms =>
        {
            var handles = Handles(outputs);
            fixed (IntPtr* p = handles) return NativeMethods.dt_all_gather(NativeHandle, p, handles.Length, input.Handle, ms);
        }, outputs);
    }

    /// <summary>
    /// Reduces the ranks' <paramref name="inputs"/> (one per rank, shaped like the output) element-wise
    /// and scatters the result: <paramref name="output"/> receives the reduction of every rank's inputs[rank].
    /// Gloo in libtorch 1.13 has no reduce_scatter; there it is an all_reduce of all inputs followed by a copy.
    /// </summary>
    public void reduce_scatter(Tensor output, IList<Tensor> inputs, ReduceOp op = ReduceOp.SUM, TimeSpan? timeout = null) =>
        Run(reduce_scatter_async(output, inputs, op, timeout));

    /// <summary>Starts <see cref="reduce_scatter"/>.</summary>
    public unsafe Work reduce_scatter_async(Tensor output, IList<Tensor> inputs, ReduceOp op = ReduceOp.SUM, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(inputs);
        return Start("reduce_scatter", timeout, ms =>
        {
            var handles = Handles(inputs);
            fixed (IntPtr* p = handles) return NativeMethods.dt_reduce_scatter(NativeHandle, output.Handle, p, handles.Length, (int)op, ms);
        }, inputs);
    }

    /// <summary>Blocks until every rank has reached the barrier.</summary>
    public void barrier(TimeSpan? timeout = null) => Run(barrier_async(timeout));

    /// <summary>Starts <see cref="barrier"/>.</summary>
    public Work barrier_async(TimeSpan? timeout = null) => Start("barrier", timeout, ms => NativeMethods.dt_barrier(NativeHandle, ms));

    /// <summary>Releases the group. Collectives still running on other ranks then fail there.</summary>
    public void Dispose() => _handle.Dispose();

    private Work Start(string collective, TimeSpan? timeout, Func<long, IntPtr> start, IList<Tensor>? keepAlive = null)
    {
        var t = timeout ?? Timeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(t, TimeSpan.Zero, nameof(timeout));
        var native = start(StoreBridge.Milliseconds(t));
        GC.KeepAlive(keepAlive);
        if (native == IntPtr.Zero)
        {
            throw new CollectiveException($"{collective} could not start on rank {_rank} of {_size} ({BackendName}): {NativeError.Last().Message}", collective, _rank, _size, TimeSpan.Zero);
        }

        return new Work(WorkHandle.Check(native), this, collective, t);
    }

    private static void Run(Work work)
    {
        using (work) work.wait();
    }

    private static IntPtr[] Handles(IList<Tensor> tensors)
    {
        var handles = new IntPtr[tensors.Count];
        for (var i = 0; i < handles.Length; i++) handles[i] = tensors[i].Handle.DangerousGetHandle();
        return handles;
    }
}
