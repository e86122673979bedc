using System.Diagnostics;
using DistTrain.Native;
using DistTrain.Protocol.Launch;
using TorchSharp;
using static DistTrain.Native.CudaDriverMethods;
using static DistTrain.Native.NcclMethods;

namespace DistTrain.Distributed.Backends;

/// <summary>
/// CUDA collectives through NCCL's C API: one communicator per group, NCCL's unique id shared through
/// the store, every collective on the group's own CUDA stream, ordered after the compute stream with
/// an event, and <see cref="ICollectiveWork.Wait"/> blocking the host until NCCL's event has fired
/// (at most the timeout; then the communicator is aborted, and every later collective fails).
/// The ranks' arguments are not cross-checked (that would cost a device round trip per collective).
/// </summary>
internal sealed unsafe class NcclBackend : ICollectiveBackend
{
    private const string KeyPrefix = "disttrain/nccl/";
    private readonly int deviceOrdinal;
    private readonly IntPtr context;
    private readonly IntPtr stream;
    private readonly IntPtr barrierScratch;
    private IntPtr comm;
    private string? broken;
    private int aborted;

    private NcclBackend(int deviceOrdinal, IntPtr context, IntPtr stream, IntPtr comm, IntPtr barrierScratch)
    {
        this.deviceOrdinal = deviceOrdinal;
        this.context = context;
        this.stream = stream;
        this.comm = comm;
        this.barrierScratch = barrierScratch;
    }

    /// <summary>Why NCCL cannot be used in this process (what to install or set), or null when it can.</summary>
    public static string? WhyUnavailable()
    {
        try
        {
            var init = cuInit(0);
            if (init != Success) return $"the CUDA driver did not initialise (cuInit returned {init}): is an NVIDIA GPU visible to this process (CUDA_VISIBLE_DEVICES)?";
            int count;
            Check(cuDeviceGetCount(&count), "cuDeviceGetCount");
            if (count == 0) return "no CUDA device is visible to this process (check CUDA_VISIBLE_DEVICES and the container's GPU access)";
        }
        catch (DllNotFoundException)
        {
            return $"the NVIDIA driver's {CudaDriverMethods.Library} is not installed here: NCCL needs a machine with an NVIDIA GPU and its driver";
        }
        try
        {
            int version;
            NcclMethods.Check(ncclGetVersion(&version), "ncclGetVersion");
            return null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            var chosen = Environment.GetEnvironmentVariable(LaunchVariables.NcclLibrary.Name);
            if (!string.IsNullOrEmpty(chosen))
                return $"DISTTRAIN_NCCL_LIBRARY is '{chosen}', which cannot be loaded as NCCL ({e.Message.Split('\n')[0]}): point it at a libnccl.so.2";
            return $"{NcclMethods.Library} is not installed: install NCCL (`apt install libnccl2`, or pip's nvidia-nccl-cu12 / nvidia-nccl-cu13 with its lib folder on LD_LIBRARY_PATH), or point DISTTRAIN_NCCL_LIBRARY at libnccl.so.2";
        }
    }

    /// <summary>Creates rank <paramref name="rank"/>'s communicator on <paramref name="device"/>; blocks until every rank joined.</summary>
    public static NcclBackend Connect(Store store, int rank, int size, torch.Device device, TimeSpan timeout)
    {
        if (device.type != DeviceType.CUDA)
            throw new ArgumentException($"An NCCL group needs this rank's CUDA device (got {device}).", nameof(device));
        if (WhyUnavailable() is { } why) throw new DistributedException($"Rank {rank} cannot create an NCCL process group: {why}.");

        var ordinal = device.index < 0 ? 0 : device.index;
        int handle;
        IntPtr context, stream = IntPtr.Zero, comm = IntPtr.Zero, scratch = IntPtr.Zero;
        CudaDriverMethods.Check(cuDeviceGet(&handle, ordinal), $"cuDeviceGet({ordinal})");
        CudaDriverMethods.Check(cuDevicePrimaryCtxRetain(&context, handle), "cuDevicePrimaryCtxRetain");
        try
        {
            CudaDriverMethods.Check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
            CudaDriverMethods.Check(cuStreamCreate(&stream, StreamNonBlocking), "cuStreamCreate");
            CudaDriverMethods.Check(cuMemAlloc(&scratch, sizeof(float)), "cuMemAlloc");
            var id = ShareUniqueId(store, rank, size);
            NcclMethods.Check(ncclCommInitRank(&comm, size, id, rank), $"ncclCommInitRank (rank {rank} of {size})");
            return new NcclBackend(ordinal, context, stream, comm, scratch);
        }
        catch
        {
            if (scratch != IntPtr.Zero) cuMemFree(scratch);
            if (stream != IntPtr.Zero) cuStreamDestroy(stream);
            cuDevicePrimaryCtxRelease(handle);
            throw;
        }
    }

    public string Name => "nccl";
    public DeviceType DeviceType => DeviceType.CUDA;
    public bool UsesLocalAllReduce => false;
    public string LocalAllReduceStatus => "";

    public bool ReducesThroughSharedMemory(torch.ScalarType type, ReduceOp op) => false;

    public IntPtr CreateSharedBuffer(long bytes, TimeSpan timeout, out string whyNot)
    {
        whyNot = "an NCCL group reduces GPU memory; shared buffers are host memory for Gloo groups";
        return IntPtr.Zero;
    }

    public string? CannotReduce(torch.ScalarType type, ReduceOp op) =>
        TypeOf(type) is null || type == torch.ScalarType.Bool ? $"NCCL cannot reduce {type} elements" : null;

    public ICollectiveWork AllReduce(CollectiveBuffer data, ReduceOp op, TimeSpan timeout) =>
        Launch("ncclAllReduce", timeout, () => ncclAllReduce(data.Data, data.Data, (nuint)data.Count, Type(data), OpOf(op), comm, stream));

    public ICollectiveWork Broadcast(CollectiveBuffer data, int root, TimeSpan timeout)
    {
        var (type, count) = Moved(data);
        return Launch("ncclBroadcast", timeout, () => ncclBroadcast(data.Data, data.Data, count, type, root, comm, stream));
    }

    public ICollectiveWork AllGather(CollectiveBuffer input, CollectiveBuffer output, TimeSpan timeout)
    {
        var (type, count) = Moved(input);
        return Launch("ncclAllGather", timeout, () => ncclAllGather(input.Data, output.Data, count, type, comm, stream));
    }

    public ICollectiveWork ReduceScatter(CollectiveBuffer input, CollectiveBuffer output, ReduceOp op, TimeSpan timeout) =>
        Launch("ncclReduceScatter", timeout, () => ncclReduceScatter(input.Data, output.Data, (nuint)output.Count, Type(output), OpOf(op), comm, stream));

    // NCCL has no barrier: an all-reduce of one element of the group's own device scratch, as PyTorch's ProcessGroupNCCL does.
    public ICollectiveWork Barrier(TimeSpan timeout) =>
        Launch("ncclAllReduce (barrier)", timeout, () => ncclAllReduce(barrierScratch, barrierScratch, 1, NcclMethods.DataType.Float32, RedOp.Sum, comm, stream));

    public void Dispose()
    {
        var c = Interlocked.Exchange(ref comm, IntPtr.Zero);
        if (c == IntPtr.Zero) return;
        cuCtxSetCurrent(context);
        if (Interlocked.Exchange(ref aborted, 1) == 0) ncclCommDestroy(c);
        cuMemFree(barrierScratch);
        cuStreamDestroy(stream);
        int handle;
        if (cuDeviceGet(&handle, deviceOrdinal) == Success) cuDevicePrimaryCtxRelease(handle);
    }

    // Rank 0 draws the id and publishes it under this group's own key; groups created one after another
    // on one store draw tickets, so a group never reads another's id.
    private static UniqueId ShareUniqueId(Store store, int rank, int size)
    {
        var ticket = store.Add(KeyPrefix + "tickets", 1);
        var key = $"{KeyPrefix}{(ticket - 1) / size}/unique-id";
        UniqueId id;
        if (rank == 0)
        {
            NcclMethods.Check(ncclGetUniqueId(&id), "ncclGetUniqueId");
            store.Set(key, new ReadOnlySpan<byte>(id.Bytes, UniqueId.Size));
            return id;
        }
        var bytes = store.Get(key);
        if (bytes.Length != UniqueId.Size)
            throw new DistributedException($"The NCCL unique id under '{key}' has {bytes.Length} bytes instead of {UniqueId.Size}: another program wrote that key.");
        bytes.CopyTo(new Span<byte>(id.Bytes, UniqueId.Size));
        return id;
    }

    private ICollectiveWork Launch(string call, TimeSpan timeout, Func<Result> collective)
    {
        if (comm == IntPtr.Zero) throw new ObjectDisposedException(nameof(NcclBackend));
        if (broken is not null) return new FinishedWork(new CollectiveOutcome(WorkStatus.Broken, $"an earlier NCCL collective of this group failed ({broken}); the communicator was aborted"));
        CudaDriverMethods.Check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
        IntPtr computeDone, commDone;
        CudaDriverMethods.Check(cuEventCreate(&computeDone, EventDisableTiming), "cuEventCreate");
        CudaDriverMethods.Check(cuEventCreate(&commDone, EventDisableTiming), "cuEventCreate");
        try
        {
            CudaDriverMethods.Check(cuEventRecord(computeDone, LegacyDefaultStream), "cuEventRecord");
            CudaDriverMethods.Check(cuStreamWaitEvent(stream, computeDone, 0), "cuStreamWaitEvent");
            NcclMethods.Check(collective(), call, comm);
            CudaDriverMethods.Check(cuEventRecord(commDone, stream), "cuEventRecord");
        }
        catch
        {
            cuEventDestroy(computeDone);
            cuEventDestroy(commDone);
            throw;
        }
        cuEventDestroy(computeDone);
        return new NcclWork(this, commDone, timeout);
    }

    private static NcclMethods.DataType? TypeOf(torch.ScalarType type) => type switch
    {
        torch.ScalarType.Int8 => NcclMethods.DataType.Int8,
        torch.ScalarType.Byte or torch.ScalarType.Bool => NcclMethods.DataType.Uint8,
        torch.ScalarType.Int32 => NcclMethods.DataType.Int32,
        torch.ScalarType.Int64 => NcclMethods.DataType.Int64,
        torch.ScalarType.Float16 => NcclMethods.DataType.Float16,
        torch.ScalarType.Float32 => NcclMethods.DataType.Float32,
        torch.ScalarType.Float64 => NcclMethods.DataType.Float64,
        torch.ScalarType.BFloat16 => NcclMethods.DataType.Bfloat16,
        _ => null,
    };

    private static NcclMethods.DataType Type(CollectiveBuffer b) => TypeOf(b.Type) ?? throw new ArgumentException($"NCCL cannot reduce {b.Type} elements.");

    // Moving without reducing: an element type NCCL does not know travels as its bytes.
    private static (NcclMethods.DataType Type, nuint Count) Moved(CollectiveBuffer b) =>
        TypeOf(b.Type) is { } t ? (t, (nuint)b.Count) : (NcclMethods.DataType.Uint8, (nuint)(b.Count * TensorMemory.ElementSize(b.Type)));

    private static RedOp OpOf(ReduceOp op) => op switch
    {
        ReduceOp.SUM => RedOp.Sum,
        ReduceOp.AVG => RedOp.Avg,
        ReduceOp.PRODUCT => RedOp.Prod,
        ReduceOp.MIN => RedOp.Min,
        ReduceOp.MAX => RedOp.Max,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown reduce op"),
    };

    private sealed class FinishedWork(CollectiveOutcome outcome) : ICollectiveWork
    {
        public CollectiveOutcome Wait(TimeSpan? timeout) => outcome;
        public bool IsCompleted => true;
        public void Dispose() { }
    }

    // Polls NCCL's event until it fires, the group's communicator reports an error, or the deadline passes;
    // then makes the compute stream wait for it, so kernels launched after wait() see the result.
    private sealed class NcclWork(NcclBackend group, IntPtr done, TimeSpan timeout) : ICollectiveWork
    {
        private readonly long deadline = Stopwatch.GetTimestamp() + (long)(Math.Min(timeout.TotalSeconds, 1e9) * Stopwatch.Frequency);
        private IntPtr evt = done;
        private CollectiveOutcome? outcome;

        public bool IsCompleted
        {
            get
            {
                if (outcome is not null || evt == IntPtr.Zero) return true;
                cuCtxSetCurrent(group.context);
                return cuEventQuery(evt) != NotReady;
            }
        }

        public CollectiveOutcome Wait(TimeSpan? wait)
        {
            if (outcome is { } known) return known;
            var waitEnd = wait is { } w ? Stopwatch.GetTimestamp() + (long)(w.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
            cuCtxSetCurrent(group.context);
            for (var spins = 0; ; spins++)
            {
                var state = cuEventQuery(evt);
                if (state == Success)
                {
                    cuStreamWaitEvent(LegacyDefaultStream, evt, 0);
                    return Settle(CollectiveOutcome.Done);
                }
                if (state != NotReady) return Settle(Abort(WorkStatus.Failed, $"cuEventQuery returned CUDA error {state}"));
                if (Volatile.Read(ref group.aborted) != 0)
                    return Settle(new CollectiveOutcome(WorkStatus.Broken, $"the group's NCCL communicator was aborted ({group.broken ?? "it was closed"})"));
                Result async;
                if (ncclCommGetAsyncError(group.comm, &async) == Result.Success && async != Result.Success)
                    return Settle(Abort(async == Result.RemoteError ? WorkStatus.PeerLost : WorkStatus.Failed,
                        $"NCCL reported {async}: {System.Runtime.InteropServices.Marshal.PtrToStringUTF8(ncclGetLastError(group.comm))}"));
                var now = Stopwatch.GetTimestamp();
                if (now >= deadline) return Settle(Abort(WorkStatus.TimedOut, $"NCCL did not finish within {timeout.TotalSeconds:0.###} s; the communicator was aborted"));
                if (now >= waitEnd) return new CollectiveOutcome(WorkStatus.Pending, "");
                // Spin briefly, then yield: Thread.Sleep(1) would add up to a millisecond to every bucket.
                if (spins > 1000) Thread.Yield();
                else Thread.SpinWait(20);
            }
        }

        public void Dispose()
        {
            var e = Interlocked.Exchange(ref evt, IntPtr.Zero);
            if (e != IntPtr.Zero) cuEventDestroy(e);
        }

        private CollectiveOutcome Settle(CollectiveOutcome result)
        {
            outcome = result;
            return result;
        }

        private CollectiveOutcome Abort(WorkStatus status, string message)
        {
            group.broken ??= message;
            var c = group.comm;
            if (c != IntPtr.Zero && Interlocked.Exchange(ref group.aborted, 1) == 0) ncclCommAbort(c);
            return new CollectiveOutcome(status, message);
        }
    }
}
