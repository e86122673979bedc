using System.Globalization;
using DistTrain.Distributed.Backends;
using DistTrain.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace DistTrain.Distributed;

/// <summary>
/// A group of processes that run collectives together on TorchSharp tensors, as PyTorch's
/// <c>ProcessGroup</c>: Gloo for CPU tensors (sums through shared memory when every rank runs on
/// this host) or NCCL for CUDA tensors. Every rank must call the same collectives in the same order
/// with tensors of the same size and element type; ranks that do not all fail the collective with a
/// <see cref="CollectiveMismatchException"/> naming one that differs (CPU groups; NCCL does not check).
/// Each collective has a blocking form and an <c>_async</c> form returning a <see cref="Work"/>; each
/// takes a timeout (null: the group's). Tensors must be contiguous: pass <c>t.contiguous()</c> and
/// copy the result back when yours is a view with gaps.
/// </summary>
public sealed class ProcessGroup : IDisposable
{
    /// <summary>PyTorch's default collective timeout: 30 minutes.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(30);

    private readonly ICollectiveBackend backend;
    private readonly int _rank;
    private readonly int _size;

    private ProcessGroup(ICollectiveBackend backend, int rank, int size, TimeSpan timeout)
    {
        this.backend = backend;
        _rank = rank;
        _size = size;
        Timeout = timeout;
    }

    /// <summary>
    /// Creates a Gloo group for CPU tensors: blocks until all <paramref name="size"/> ranks have
    /// connected, exchanging addresses through <paramref name="store"/> (each store wait at most
    /// <see cref="GlooOptions.StoreTimeout"/>). When every rank runs on this host, sums and averages also
    /// get a shared-memory path (<see cref="GlooOptions.LocalAllReduce"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The rank is not in [0, size) or the size is below 1.</exception>
    /// <exception cref="DistributedException">The store failed or timed out, or Gloo could not connect.</exception>
    public static ProcessGroup Gloo(Store store, int rank, int size, GlooOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        CheckRank(rank, size);
        options ??= new GlooOptions();
        return new ProcessGroup(GlooBackend.Connect(store, rank, size, options), rank, size, options.Timeout);
    }

    /// <summary>
    /// Creates an NCCL group for CUDA tensors on device <paramref name="device"/> (this rank's GPU): rank 0
    /// draws NCCL's unique id and shares it through <paramref name="store"/>; blocks until every rank joined.
    /// </summary>
    /// <exception cref="DistributedException">There is no GPU, libnccl.so.2 or the CUDA runtime cannot be loaded (the message says what to install), or NCCL failed.</exception>
    public static ProcessGroup Nccl(Store store, int rank, int size, Device device, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(device);
        CheckRank(rank, size);
        var t = timeout ?? DefaultTimeout;
        return new ProcessGroup(NcclBackend.Connect(store, rank, size, device, t), rank, size, t);
    }

    /// <summary>Whether NCCL can be used here: a CUDA device is visible and libnccl.so.2 loads.</summary>
    public static bool is_nccl_available() => NcclBackend.WhyUnavailable() is null;

    /// <summary>This process's rank in the group, from 0.</summary>
    public int rank() => _rank;

    /// <summary>The number of processes in the group.</summary>
    public int size() => _size;

    /// <summary>The backend the group runs on.</summary>
    public Backend Backend => backend.DeviceType == DeviceType.CUDA ? Backend.Nccl : Backend.Gloo;

    /// <summary>The backend's name as PyTorch spells it: <c>gloo</c> or <c>nccl</c>.</summary>
    public string BackendName => backend.Name;

    /// <summary>Whether all_reduce SUM/AVG of CPU float32/float64/int32/int64 tensors runs through shared memory.</summary>
    public bool UsesLocalAllReduce => backend.UsesLocalAllReduce;

    /// <summary>
    /// Why sums do not go through shared memory (which rank could not map the segment, and what it got:
    /// another host's <c>/dev/shm</c>, a full <c>/dev/shm</c>, turned off), or that they do; empty for NCCL.
    /// </summary>
    public string LocalAllReduceStatus => backend.LocalAllReduceStatus;

    /// <summary>The default timeout of every collective.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>
    /// This rank's collectives on the group as of now: how many it issued, the last one's name, whether it
    /// waits for one (since when) and the time it spent waiting in all. Cheap (a few interlocked reads);
    /// safe from any thread, while the training thread is inside a collective too.
    /// </summary>
    public CollectiveState Progress => Tracker.Snapshot();

    internal CollectiveTracker Tracker { get; } = new();

    /// <summary>Why the last <see cref="empty_shared"/> gave a private tensor; empty when it gave a shared one (or was not called).</summary>
    public string SharedBufferStatus { get; private set; } = "";

    /// <summary>
    /// A new uninitialised CPU tensor in shared memory, made with every rank of the group: a collective, so
    /// every rank calls it with the same shape and dtype at the same point among its collectives. An
    /// all_reduce SUM or AVG of it (or of a view of it, at the same place on every rank) reads the peers'
    /// copies directly instead of copying through the group's channel. When the group's sums do not go
    /// through shared memory, or <c>/dev/shm</c> has no room, every rank gets an ordinary tensor instead and
    /// <see cref="SharedBufferStatus"/> says why. Blocks until every rank has called it, at most <paramref name="timeout"/>.
    /// </summary>
    /// <exception cref="CollectiveException">It failed: a peer is gone, the ranks asked for different sizes, or it timed out.</exception>
    public Tensor empty_shared(long[] shape, ScalarType dtype = ScalarType.Float32, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        const string name = "empty_shared";
        if (shape.Any(d => d < 0)) throw new ArgumentException($"{Where(name)}: the shape [{string.Join(", ", shape)}] has a negative size.", nameof(shape));
        var bytes = shape.Aggregate(1L, (a, d) => checked(a * d)) * Native.TensorMemory.ElementSize(dtype);
        IntPtr slab;
        string whyNot;
        try
        {
            slab = backend.CreateSharedBuffer(bytes, timeout ?? Timeout, out whyNot);
        }
        catch (DistributedException e)
        {
            throw new CollectiveException($"{Where(name, throughSharedMemory: true)} failed: {e.Message}", name, _rank, _size, TimeSpan.Zero);
        }
        SharedBufferStatus = whyNot;
        return slab == IntPtr.Zero ? empty(shape, dtype) : Native.SharedTensor.Wrap(slab, shape, dtype);
    }

    /// <summary>Reduces <paramref name="tensor"/> across all ranks in place: every rank ends with the result.</summary>
    /// <exception cref="ArgumentException">The tensor is not contiguous, on the wrong device, or of a type the backend cannot reduce.</exception>
    /// <exception cref="CollectiveException">It failed: a peer is gone, the ranks passed different tensors, or it timed out (subclasses say which).</exception>
    public void all_reduce(Tensor tensor, ReduceOp op = ReduceOp.SUM, TimeSpan? timeout = null) => Run(all_reduce_async(tensor, op, timeout));

    /// <summary>Starts <see cref="all_reduce"/>; the tensor holds the result once the work has been waited for.</summary>
    public Work all_reduce_async(Tensor tensor, ReduceOp op = ReduceOp.SUM, TimeSpan? timeout = null)
    {
        const string name = "all_reduce";
        var data = Buffer(name, tensor, nameof(tensor));
        CheckReducible(name, tensor.dtype, op);
        return Start(name, timeout, t => backend.AllReduce(data, op, t), [tensor], backend.ReducesThroughSharedMemory(tensor.dtype, op));
    }

    /// <summary>Copies rank <paramref name="src"/>'s <paramref name="tensor"/> into every other rank's, in place.</summary>
    public void broadcast(Tensor tensor, int src = 0, TimeSpan? timeout = null) => Run(broadcast_async(tensor, src, timeout));

    /// <summary>Starts <see cref="broadcast"/>.</summary>
    public Work broadcast_async(Tensor tensor, int src = 0, TimeSpan? timeout = null)
    {
        const string name = "broadcast";
        var data = Buffer(name, tensor, nameof(tensor));
        if (src < 0 || src >= _size)
            throw new ArgumentOutOfRangeException(nameof(src), src, $"{Where(name)}: the source rank ({src}) must be in [0, {_size - 1}].");
        return Start(name, timeout, t => backend.Broadcast(data, src, t), [tensor]);
    }

    /// <summary>Gathers every rank's <paramref name="input"/>: <paramref name="outputs"/>[i] (one per rank, shaped like the input) receives rank i's.</summary>
    public void all_gather(IList<Tensor> outputs, Tensor input, TimeSpan? timeout = null) => Run(all_gather_async(outputs, input, timeout));

    /// <summary>Starts <see cref="all_gather"/>; the outputs hold the result once the work has been waited for.</summary>
    public Work all_gather_async(IList<Tensor> outputs, Tensor input, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        CheckPerRank("all_gather", outputs, input, nameof(outputs));
        var flat = empty([_size * input.numel()], input.dtype, input.device).DetachFromDisposeScope();
        try
        {
            var work = all_gather_into_tensor_async(flat, input, timeout);
            work.OnCompleted(() =>
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                for (var i = 0; i < _size; i++) outputs[i].copy_(flat.narrow(0, i * input.numel(), input.numel()).view(input.shape));
            }, flat);
            return work;
        }
        catch
        {
            flat.Dispose();
            throw;
        }
    }

    /// <summary>Gathers every rank's <paramref name="input"/> into <paramref name="output"/> (size × input's elements; rank i's at position i), as <c>all_gather_into_tensor</c>.</summary>
    public void all_gather_into_tensor(Tensor output, Tensor input, TimeSpan? timeout = null) => Run(all_gather_into_tensor_async(output, input, timeout));

    /// <summary>Starts <see cref="all_gather_into_tensor"/>.</summary>
    public Work all_gather_into_tensor_async(Tensor output, Tensor input, TimeSpan? timeout = null)
    {
        const string name = "all_gather";
        var source = Buffer(name, input, nameof(input));
        var target = Buffer(name, output, nameof(output));
        CheckGathered(name, output, input, nameof(output));
        return Start(name, timeout, t => backend.AllGather(source, target, t), [input, output]);
    }

    /// <summary>
    /// Reduces the ranks' <paramref name="inputs"/> (one per rank, shaped like the output) element-wise
    /// and scatters the result: <paramref name="output"/> receives the reduction of every rank's inputs[rank].
    /// </summary>
    public void reduce_scatter(Tensor output, IList<Tensor> inputs, ReduceOp op = ReduceOp.SUM, TimeSpan? timeout = null) =>
        Run(reduce_scatter_async(output, inputs, op, timeout));

    /// <summary>Starts <see cref="reduce_scatter"/>.</summary>
    public Work reduce_scatter_async(Tensor output, IList<Tensor> inputs, ReduceOp op = ReduceOp.SUM, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        CheckPerRank("reduce_scatter", inputs, output, nameof(inputs));
        var flat = CatDetached(inputs);
        try
        {
            var work = reduce_scatter_tensor_async(output, flat, op, timeout);
            work.OnCompleted(() => { }, flat);
            return work;
        }
        catch
        {
            flat.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reduces <paramref name="input"/> (size × output's elements: block i for rank i) element-wise across the
    /// ranks and gives each rank its block: <paramref name="output"/> receives the reduction of block <c>rank</c>,
    /// as <c>reduce_scatter_tensor</c>.
    /// </summary>
    public void reduce_scatter_tensor(Tensor output, Tensor input, ReduceOp op = ReduceOp.SUM, TimeSpan? timeout = null) =>
        Run(reduce_scatter_tensor_async(output, input, op, timeout));

    /// <summary>Starts <see cref="reduce_scatter_tensor"/>.</summary>
    public Work reduce_scatter_tensor_async(Tensor output, Tensor input, ReduceOp op = ReduceOp.SUM, TimeSpan? timeout = null)
    {
        const string name = "reduce_scatter";
        var source = Buffer(name, input, nameof(input));
        var target = Buffer(name, output, nameof(output));
        CheckGathered(name, input, output, nameof(input));
        CheckReducible(name, output.dtype, op);
        return Start(name, timeout, t => backend.ReduceScatter(source, target, op, t), [input, output]);
    }

    /// <summary>Blocks until every rank has reached the barrier.</summary>
    public void barrier(TimeSpan? timeout = null) => Run(barrier_async(timeout));

    /// <summary>Starts <see cref="barrier"/>.</summary>
    public Work barrier_async(TimeSpan? timeout = null) => Start("barrier", timeout, backend.Barrier, [], backend.UsesLocalAllReduce);

    /// <summary>Leaves the group: peers waiting for this rank in a collective fail at once.</summary>
    public void Dispose() => backend.Dispose();

    private Work Start(string collective, TimeSpan? timeout, Func<TimeSpan, ICollectiveWork> start, Tensor[] touched, bool throughSharedMemory = false)
    {
        var t = timeout ?? Timeout;
        var where = Where(collective, throughSharedMemory);
        if (t <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(timeout), t, $"{Where(collective)}: the timeout ({t}) must be positive.");
        // The work holds its own references to the tensors, so their memory outlives the caller's handles.
        var held = touched.Select(x => x.alias().DetachFromDisposeScope()).ToArray();
        try
        {
            var work = new Work(start(t), this, collective, where, t, held);
            Tracker.Issued(collective);
            return work;
        }
        catch (DistributedException e)
        {
            foreach (var h in held) h.Dispose();
            throw new CollectiveException($"{where} could not start: {e.Message}", collective, _rank, _size, TimeSpan.Zero);
        }
    }

    private CollectiveBuffer Buffer(string collective, Tensor tensor, string parameter)
    {
        ArgumentNullException.ThrowIfNull(tensor, parameter);
        if (!tensor.is_contiguous())
            throw new ArgumentException(
                $"{Where(collective)}: the tensor is not contiguous (shape [{string.Join(", ", tensor.shape)}], strides [{string.Join(", ", tensor.stride())}]). " +
                "Pass t.contiguous() and copy the result back into your view.", parameter);
        if (tensor.device_type != backend.DeviceType)
            throw new ArgumentException(
                $"{Where(collective)}: the tensor is on {tensor.device}, but a {BackendName} group moves {backend.DeviceType} tensors. " +
                (backend.DeviceType == DeviceType.CPU ? "Move it with .cpu(), or create an NCCL group for CUDA tensors." : "Move it to this rank's GPU with .to(device)."), parameter);
        return new CollectiveBuffer(TensorMemory.Address(tensor), tensor.numel(), tensor.dtype, tensor.device);
    }

    private void CheckReducible(string collective, ScalarType type, ReduceOp op)
    {
        if (!Enum.IsDefined(op)) throw new ArgumentOutOfRangeException(nameof(op), op, $"{Where(collective)}: unknown reduce op {(int)op}.");
        if (op == ReduceOp.AVG && !TensorMemory.IsFloatingPoint(type))
            throw new ArgumentException($"{Where(collective)}: AVG needs a floating-point tensor (got {type}); use SUM and divide.", nameof(op));
        if (backend.CannotReduce(type, op) is { } why) throw new ArgumentException($"{Where(collective)}: {why}.", nameof(op));
    }

    private void CheckPerRank(string collective, IList<Tensor> perRank, Tensor like, string parameter)
    {
        ArgumentNullException.ThrowIfNull(like);
        if (perRank.Count != _size)
            throw new ArgumentException($"{Where(collective)} takes one tensor per rank: {_size} (got {perRank.Count}).", parameter);
        for (var i = 0; i < perRank.Count; i++)
        {
            if (perRank[i] is null || !perRank[i].shape.SequenceEqual(like.shape) || perRank[i].dtype != like.dtype)
                throw new ArgumentException(
                    $"{Where(collective)}: tensor {i} must be shaped like [{string.Join(", ", like.shape)}] {like.dtype} (got {(perRank[i] is null ? "null" : $"[{string.Join(", ", perRank[i].shape)}] {perRank[i].dtype}")}).", parameter);
        }
    }

    private void CheckGathered(string collective, Tensor whole, Tensor part, string parameter)
    {
        if (whole.numel() != _size * part.numel() || whole.dtype != part.dtype)
            throw new ArgumentException(
                $"{Where(collective)}: the {parameter} tensor must hold {_size} × {part.numel()} {part.dtype} elements (got {whole.numel()} {whole.dtype}).", parameter);
    }

    private static Tensor CatDetached(IList<Tensor> inputs)
    {
        using var scope = NewDisposeScope();
        return cat(inputs.Select(t => t.reshape(-1)).ToArray()).MoveToOuterDisposeScope().DetachFromDisposeScope();
    }

    private static void CheckRank(int rank, int size)
    {
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), size, $"The world size ({size}) must be at least 1.");
        if (rank < 0 || rank >= size) throw new ArgumentOutOfRangeException(nameof(rank), rank, $"The rank ({rank}) must be in [0, {size - 1}] for a world of {size}.");
    }

    // Names the transport that carries the data: the backend, or its shared-memory path when that carries this collective alone.
    internal string Where(string collective, bool throughSharedMemory = false) =>
        string.Create(CultureInfo.InvariantCulture, $"{collective} on rank {_rank} of {_size} ({(throughSharedMemory ? $"{BackendName}, through shared memory" : BackendName)})");

    private static void Run(Work work)
    {
        using (work) work.wait();
    }
}
