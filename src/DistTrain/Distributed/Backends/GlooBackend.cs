using System.Text;
using DistTrain.Native;
using TorchSharp;

namespace DistTrain.Distributed.Backends;

/// <summary>
/// CPU collectives in libdisttrain_native: Gloo over TCP (Debian's standalone libgloo), and sums
/// through a shared-memory segment when every rank runs on this host. One native thread per group
/// runs the collectives in issue order.
/// </summary>
internal sealed unsafe class GlooBackend : ICollectiveBackend
{
    private IntPtr group;

    private GlooBackend(IntPtr group)
    {
        this.group = group;
        UsesLocalAllReduce = NativeMethods.dt_group_local_all_reduce(group) != 0;
        LocalAllReduceStatus = System.Runtime.InteropServices.Marshal.PtrToStringUTF8(NativeMethods.dt_group_local_all_reduce_status(group)) ?? "";
    }

    /// <summary>Connects rank <paramref name="rank"/> of <paramref name="size"/> through <paramref name="store"/>; blocks until every rank joined (each store wait at most <see cref="GlooOptions.StoreTimeout"/>).</summary>
    /// <exception cref="DistributedException">The store failed or timed out, or Gloo could not connect; the message says which.</exception>
    public static GlooBackend Connect(Store store, int rank, int size, GlooOptions options)
    {
        StoreCallbacks.EnsureInstalled();
        var nic = Utf8(options.NetworkInterface);
        var host = Utf8(options.Hostname);
        fixed (byte* nicPtr = nic)
        fixed (byte* hostPtr = host)
        {
            var native = new NativeMethods.GroupOptions
            {
                TimeoutMs = Milliseconds.Of(options.Timeout),
                StoreTimeoutMs = Milliseconds.Of(options.StoreTimeout),
                Interface = nic is null ? null : nicPtr,
                Hostname = host is null ? null : hostPtr,
                LocalAllReduce = options.LocalAllReduce ? 1 : 0,
            };
            var optionsAddress = (IntPtr)(&native);
            var handle = StoreCallbacks.Lend(store, id => NativeMethods.dt_group_create(id, rank, size, (NativeMethods.GroupOptions*)optionsAddress));
            if (handle == IntPtr.Zero)
                throw new DistributedException($"Rank {rank} of {size} could not create its Gloo process group: {NativeMethods.LastError()}");
            return new GlooBackend(handle);
        }
    }

    public string Name => "gloo";
    public DeviceType DeviceType => DeviceType.CPU;
    public bool UsesLocalAllReduce { get; }
    public string LocalAllReduceStatus { get; }

    public bool ReducesThroughSharedMemory(torch.ScalarType type, ReduceOp op) =>
        UsesLocalAllReduce && op is (ReduceOp.SUM or ReduceOp.AVG) &&
        type is (torch.ScalarType.Float32 or torch.ScalarType.Float64 or torch.ScalarType.Int32 or torch.ScalarType.Int64);

    public string? CannotReduce(torch.ScalarType type, ReduceOp op) => type switch
    {
        torch.ScalarType.Byte or torch.ScalarType.Int8 or torch.ScalarType.Int32 or torch.ScalarType.Int64 or
            torch.ScalarType.Float16 or torch.ScalarType.BFloat16 or torch.ScalarType.Float32 or torch.ScalarType.Float64 => null,
        _ => $"Gloo cannot reduce {type} elements (it reduces uint8, int8, int32, int64, float16, bfloat16, float32 and float64)",
    };

    public ICollectiveWork AllReduce(CollectiveBuffer data, ReduceOp op, TimeSpan timeout) =>
        Started(NativeMethods.dt_all_reduce(Group, (void*)data.Data, data.Count, (int)data.Type, (int)op, Milliseconds.Of(timeout)));

    public ICollectiveWork Broadcast(CollectiveBuffer data, int root, TimeSpan timeout) =>
        Started(NativeMethods.dt_broadcast(Group, (void*)data.Data, data.Count, (int)data.Type, root, Milliseconds.Of(timeout)));

    public ICollectiveWork AllGather(CollectiveBuffer input, CollectiveBuffer output, TimeSpan timeout) =>
        Started(NativeMethods.dt_all_gather(Group, (void*)input.Data, (void*)output.Data, input.Count, (int)input.Type, Milliseconds.Of(timeout)));

    public ICollectiveWork ReduceScatter(CollectiveBuffer input, CollectiveBuffer output, ReduceOp op, TimeSpan timeout) =>
        Started(NativeMethods.dt_reduce_scatter(Group, (void*)input.Data, (void*)output.Data, output.Count, (int)output.Type, (int)op, Milliseconds.Of(timeout)));

    public ICollectiveWork Barrier(TimeSpan timeout) => Started(NativeMethods.dt_barrier(Group, Milliseconds.Of(timeout)));

    public IntPtr CreateSharedBuffer(long bytes, TimeSpan timeout, out string whyNot)
    {
        IntPtr slab;
        var status = (WorkStatus)NativeMethods.dt_shared_buffer_create(Group, bytes, Milliseconds.Of(timeout), &slab);
        whyNot = slab == IntPtr.Zero ? NativeMethods.LastError() : "";
        return status == WorkStatus.Done ? slab : throw new DistributedException(whyNot);
    }

    /// <summary>Leaves the group: peers waiting for this rank fail at once; collectives still queued here fail.</summary>
    public void Dispose()
    {
        var handle = Interlocked.Exchange(ref group, IntPtr.Zero);
        if (handle != IntPtr.Zero) NativeMethods.dt_group_free(handle);
    }

    private IntPtr Group => Live(group, this);

    // A native handle that is still there, or ObjectDisposedException naming its owner.
    private static IntPtr Live(IntPtr handle, object owner)
    {
        ObjectDisposedException.ThrowIf(handle == IntPtr.Zero, owner);
        return handle;
    }

    private static ICollectiveWork Started(IntPtr work) =>
        work == IntPtr.Zero ? throw new DistributedException(NativeMethods.LastError()) : new GlooWork(work);

    private static byte[]? Utf8(string? text) => string.IsNullOrEmpty(text) ? null : Encoding.UTF8.GetBytes(text + "\0");

    private sealed class GlooWork(IntPtr work) : ICollectiveWork
    {
        private IntPtr handle = work;

        public CollectiveOutcome Wait(TimeSpan? timeout)
        {
            var status = (WorkStatus)NativeMethods.dt_work_wait(Handle, timeout is { } t ? Milliseconds.Of(t) : -1);
            return status == WorkStatus.Done ? CollectiveOutcome.Done : new CollectiveOutcome(status, NativeMethods.LastError());
        }

        public bool IsCompleted => NativeMethods.dt_work_is_completed(Handle) != 0;

        public void Dispose()
        {
            var h = Interlocked.Exchange(ref handle, IntPtr.Zero);
            if (h != IntPtr.Zero) NativeMethods.dt_work_free(h);
        }

        private IntPtr Handle => Live(handle, this);
    }
}
