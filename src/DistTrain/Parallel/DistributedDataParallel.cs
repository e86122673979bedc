using DistTrain.Distributed;
using TorchSharp;

namespace DistTrain.Parallel;

/// <summary>
/// Data-parallel training of any module, as PyTorch's <c>torch.nn.parallel.DistributedDataParallel</c>:
/// every rank holds a replica, trains on its own part of each batch, and after each backward every
/// replica holds the same gradients, the average over all ranks, so identical optimizer steps keep the
/// replicas identical.
/// <list type="bullet">
/// <item>Construction broadcasts rank 0's parameters and buffers to every rank (a collective: every rank
/// must construct its DDP at the same point, with the same model structure).</item>
/// <item>Gradients are averaged in buckets (the first small, so communication starts early; the rest
/// <c>bucketCapMb</c>), launched as asynchronous all-reduces while backward is still running, as soon as
/// backward has reached the input of the modules that own them (TorchSharp has no gradient hooks; see
/// <see cref="GradientReducer"/>); <c>backward()</c> returns once every bucket is reduced. Each
/// parameter's <c>.grad</c> is a view into its bucket, kept across <c>optimizer.zero_grad()</c>, so no
/// gradient is copied (a gradient set to none, by <c>Module.zero_grad()</c>, is copied in once and
/// becomes a view again).</item>
/// <item>In training mode, buffers (BatchNorm's running statistics) are broadcast from rank 0 before each
/// forward, so every replica normalises alike.</item>
/// <item><see cref="no_sync"/> skips the reduction for gradient accumulation.</item>
/// <item>A parameter that requires grad but received none makes backward fail (or, with
/// <c>findUnusedParameters</c>, it counts as a zero gradient) instead of leaving the other ranks waiting.
/// TorchSharp lets no custom error through its autograd engine: <c>loss.backward()</c> then throws the
/// engine's "invalid gradient" error, the reason (naming the parameters) is printed to standard error,
/// kept in <see cref="LastBackwardFailure"/> and thrown by the next forward, and every <c>.grad</c> is set
/// to none so that an optimizer step cannot apply a half-reduced gradient. A gradient that starts the step
/// zeroed in place (<c>optimizer.zero_grad()</c>) cannot tell "no gradient" from "a zero gradient": such a
/// parameter counts as zero, as with <c>findUnusedParameters</c>.</item>
/// </list>
/// Calls to <see cref="forward"/> and backward must alternate as in ordinary training, on every rank in
/// the same order, and the wrapped module must be called through this wrapper. The wrapped module is a
/// child ("module"): <c>state_dict()</c> keys start with "module.", and disposing this disposes it.
/// </summary>
public sealed class DistributedDataParallel : torch.nn.Module<torch.Tensor, torch.Tensor>
{
    private readonly torch.nn.Module<torch.Tensor, torch.Tensor> _module;
    private readonly GradientReducer reducer;
    private readonly (string Name, torch.Tensor Buffer)[] syncedBuffers;

    /// <summary>Wraps <paramref name="module"/> for data-parallel training over <paramref name="processGroup"/>.</summary>
    /// <param name="module">The model; its parameters must have the same names, shapes and types on every rank.</param>
    /// <param name="processGroup">The ranks training together.</param>
    /// <param name="bucketCapMb">Cap of each gradient bucket after the first, in MiB (PyTorch's default 25).</param>
    /// <param name="firstBucketCapMb">Cap of the first bucket in MiB (PyTorch's 1): it is reduced while most of backward is still to run.</param>
    /// <param name="broadcastBuffers">Broadcast rank 0's buffers before each training forward.</param>
    /// <param name="findUnusedParameters">Treat a parameter that gets no gradient as a zero gradient instead of failing.</param>
    /// <param name="checkGradientSignals">Check, in the first synchronised backward (which then reduces at its end), that the gradient-ready signal fires only after the gradients are final.</param>
    /// <exception cref="ArgumentOutOfRangeException">A cap is not positive.</exception>
    /// <exception cref="InvalidOperationException">The broadcast of the initial state failed (for example a peer's model differs).</exception>
    public DistributedDataParallel(torch.nn.Module<torch.Tensor, torch.Tensor> module, ProcessGroup processGroup,
        double bucketCapMb = 25, double firstBucketCapMb = 1, bool broadcastBuffers = true, bool findUnusedParameters = false,
        bool checkGradientSignals = true)
        : base(nameof(DistributedDataParallel))
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(processGroup);
        if (!(bucketCapMb > 0))
            throw new ArgumentOutOfRangeException(nameof(bucketCapMb), bucketCapMb, $"The bucket cap ({bucketCapMb} MiB) must be positive.");
        if (!(firstBucketCapMb > 0))
            throw new ArgumentOutOfRangeException(nameof(firstBucketCapMb), firstBucketCapMb, $"The first bucket's cap ({firstBucketCapMb} MiB) must be positive.");
        _module = module;
        ProcessGroup = processGroup;
        BroadcastBuffers = broadcastBuffers;
        FindUnusedParameters = findUnusedParameters;
        register_module("module", module);

        var named = module.named_parameters().ToArray();
        syncedBuffers = module.named_buffers().ToArray();
        StateSync.CheckSameStructure(processGroup, named.Select(p => (p.name, (torch.Tensor)p.parameter)).Concat(syncedBuffers));
        StateSync.Broadcast(processGroup, named.Select(p => (torch.Tensor)p.parameter).Concat(syncedBuffers.Select(b => b.Buffer)).ToArray());

        var trainable = named.Where(p => p.parameter.requires_grad).Select(p => (p.name, p.parameter)).ToArray();
        reducer = new GradientReducer(processGroup, module, trainable, ToBytes(firstBucketCapMb), ToBytes(bucketCapMb), findUnusedParameters, checkGradientSignals);
    }

    /// <summary>The wrapped model.</summary>
    public torch.nn.Module<torch.Tensor, torch.Tensor> module => _module;

    /// <summary>The ranks training together.</summary>
    public ProcessGroup ProcessGroup { get; }

    /// <summary>Whether buffers are broadcast from rank 0 before each training forward.</summary>
    public bool BroadcastBuffers { get; }

    /// <summary>Whether a parameter without gradient counts as zero instead of failing backward.</summary>
    public bool FindUnusedParameters { get; }

    /// <summary>The gradient buckets' sizes in bytes, in the order their all-reduces are issued.</summary>
    public IReadOnlyList<long> BucketBytes => reducer.BucketBytes;

    /// <summary>The parameter names in each gradient bucket, in issue order.</summary>
    public IReadOnlyList<string[]> BucketParameterNames => reducer.BucketParameterNames;

    /// <summary>Whether gradients are reduced while backward still runs (true once the first backward's self-check passed).</summary>
    public bool OverlapsBackward => reducer.OverlapsBackward;

    /// <summary>Whether the next forward's backward reduces gradients (false inside <see cref="no_sync"/>; for tests).</summary>
    internal bool SyncEnabled => reducer.SyncEnabled;

    /// <summary>How many gradient buckets of the backward now running have been launched so far (for tests: read inside backward).</summary>
    internal int BucketsLaunched => reducer.BucketsLaunched;

    /// <summary>Why the last backward failed (a peer is gone, a parameter got no gradient…), until the next forward throws it; null when it did not.</summary>
    public string? LastBackwardFailure => reducer.LastFailure;

    /// <summary>
    /// Runs the wrapped module. In training mode it first broadcasts rank 0's buffers (when enabled); when a
    /// backward will follow (gradients enabled, outside <see cref="no_sync"/>), it prepares the gradient reduction.
    /// </summary>
    /// <exception cref="InvalidOperationException">The previous backward failed (the message says why) or ended before its gradients were reduced.</exception>
    public override torch.Tensor forward(torch.Tensor input)
    {
        if (training && BroadcastBuffers && syncedBuffers.Length > 0 && ProcessGroup.size() > 1)
            StateSync.Broadcast(ProcessGroup, syncedBuffers.Select(b => b.Buffer).ToArray());
        if (!torch.is_grad_enabled() || !reducer.SyncEnabled) return _module.call(input);
        using var start = reducer.BeginForward();
        return reducer.JoinOutput(_module.call(input), start);
    }

    /// <summary>
    /// Disables gradient reduction until the returned scope is disposed:
    /// <c>using (ddp.no_sync()) { loss.backward(); }</c> accumulates this rank's gradients locally; the next
    /// backward outside the scope reduces the sum of everything accumulated. Every rank must use the same
    /// pattern of synchronised and unsynchronised steps.
    /// </summary>
    public IDisposable no_sync()
    {
        var previous = reducer.SyncEnabled;
        reducer.SyncEnabled = false;
        return new SyncScope(reducer, previous);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) reducer.Dispose();
        base.Dispose(disposing);
    }

    private static long ToBytes(double mebibytes) => Math.Max(1, (long)(mebibytes * 1024 * 1024));

    private sealed class SyncScope(GradientReducer reducer, bool previous) : IDisposable
    {
        private bool disposed;

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            reducer.SyncEnabled = previous;
        }
    }
}
