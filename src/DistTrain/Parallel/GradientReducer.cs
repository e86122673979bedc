using System.Text;
using DistTrain.Distributed;
using TorchSharp;
using static TorchSharp.torch;

namespace DistTrain.Parallel;

/// <summary>
/// The bucketed gradient averaging behind <see cref="DistributedDataParallel"/>. TorchSharp has no
/// gradient hooks, so readiness comes from two signals (<see cref="ModuleInputSignal"/>, <see cref="ForwardStartSignal"/>): a module's
/// parameters are final when backward reaches that module's input (counted per parameter and use, so
/// tied and reused weights wait for their earliest use), and everything is final when backward reaches
/// the start of the forward pass. When a bucket's last gradient is ready and every earlier bucket has
/// been launched, its average is started as an asynchronous all-reduce, so communication runs while
/// backward computes the remaining gradients, in the same bucket order on every rank. At the end,
/// whatever got no signal (the first layer, whose input needs no gradient, or modules whose forward
/// does not take one tensor) is flushed, every all-reduce is waited for, and parameters that received
/// no gradient are reported.
/// The first synchronised backward is a self-check: signals only record the gradients they declare
/// final, and the end compares them with the final ones; should the engine ever run the signal before
/// a gradient is final, the reducer says so and from then on reduces everything at the end.
/// </summary>
internal sealed class GradientReducer : IGradientSignalListener, IDisposable
{
    private enum Mode { CheckSignals, Overlap, AtEndOnly }

    private readonly ProcessGroup group;
    private readonly TorchSharp.Modules.Parameter[] parameters;
    private readonly string[] names;
    private readonly GradientBucket[] buckets;
    private readonly (int Bucket, int Slot)[] location;
    private readonly bool findUnusedParameters;
    private readonly int[][] moduleParameters;
    private readonly bool[] neverSignalled;
    private readonly List<Action> unhook = [];
    private readonly Tensor anchor;
    private readonly object gate = new();

    // This iteration (one forward, one backward).
    private long iteration;
    private ForwardPass? openPass;
    private int passesPending;
    private bool backwardStarted;
    private readonly int[] usesPending;
    private readonly bool[] unsignalledUse;
    private readonly bool[] ready;
    private readonly bool[] inBucket;
    private readonly Tensor?[] snapshots;
    private readonly Work?[] works;
    private int nextToLaunch;
    private Mode mode;
    private string? failure;
    private bool disposed;

    /// <summary>Buckets <paramref name="trainable"/> (the parameters requiring grad, in registration order) and hooks the modules of <paramref name="root"/> that own them.</summary>
    public GradientReducer(ProcessGroup group, nn.Module root, IReadOnlyList<(string Name, TorchSharp.Modules.Parameter Parameter)> trainable,
        long firstBucketBytes, long bucketBytes, bool findUnusedParameters, bool checkSignals)
    {
        this.group = group;
        parameters = trainable.Select(p => p.Parameter).ToArray();
        names = trainable.Select(p => p.Name).ToArray();
        this.findUnusedParameters = findUnusedParameters;
        mode = checkSignals ? Mode.CheckSignals : Mode.Overlap;

        var items = new BucketPlan.Item[parameters.Length];
        for (var i = 0; i < items.Length; i++)
            items[i] = new BucketPlan.Item(i, parameters[i].numel() * parameters[i].ElementSize, (parameters[i].dtype, parameters[i].device.ToString()));
        var plan = BucketPlan.Compute(items, firstBucketBytes, bucketBytes);
        buckets = new GradientBucket[plan.Count];
        location = new (int, int)[parameters.Length];
        for (var b = 0; b < plan.Count; b++)
        {
            buckets[b] = new GradientBucket(b, plan[b], parameters, group);
            for (var slot = 0; slot < plan[b].Length; slot++) location[plan[b][slot]] = (b, slot);
        }

        usesPending = new int[parameters.Length];
        unsignalledUse = new bool[parameters.Length];
        ready = new bool[parameters.Length];
        inBucket = new bool[parameters.Length];
        snapshots = new Tensor?[parameters.Length];
        works = new Work?[buckets.Length];
        neverSignalled = Enumerable.Repeat(true, parameters.Length).ToArray();
        moduleParameters = HookModules(root);
        for (var i = 0; i < parameters.Length; i++) AdoptExistingGradient(i);
        var first = parameters.FirstOrDefault();
        anchor = zeros([1], first?.dtype ?? ScalarType.Float32, first?.device ?? CPU, requires_grad: true).DetachFromDisposeScope();
    }

    /// <summary>False inside <see cref="DistributedDataParallel.no_sync"/>: gradients accumulate locally, nothing is reduced.</summary>
    public bool SyncEnabled { get; set; } = true;

    /// <summary>The buckets' sizes in bytes, in issue order.</summary>
    public IReadOnlyList<long> BucketBytes => buckets.Select(b => b.Bytes).ToArray();

    /// <summary>The parameter names of each bucket, in issue order.</summary>
    public IReadOnlyList<string[]> BucketParameterNames => buckets.Select(b => b.Parameters.Select(i => names[i]).ToArray()).ToArray();

    /// <summary>Whether gradients are reduced while backward runs (after the self-check passed), rather than at its end.</summary>
    public bool OverlapsBackward => mode == Mode.Overlap;

    /// <summary>
    /// How many buckets of the backward now running have had their all-reduce launched so far (0 between
    /// backwards); read from inside backward, it shows whether communication overlaps it.
    /// </summary>
    internal int BucketsLaunched
    {
        get { lock (gate) return nextToLaunch; }
    }

    /// <summary>Why the last backward failed, until the next forward raises it; null when it did not.</summary>
    public string? LastFailure
    {
        get { lock (gate) return failure; }
    }

    /// <summary>
    /// Called before each forward whose backward must be reduced: raises (once) the failure of the previous
    /// backward, and starts a new iteration. Returns the zero to join to the output (see <see cref="JoinOutput"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The previous backward failed or ended before its gradients were reduced.</exception>
    public Tensor BeginForward()
    {
        lock (gate)
        {
            if (failure is { } previous)
            {
                failure = null;
                throw new InvalidOperationException(previous);
            }
            if (backwardStarted)
            {
                Drain();
                ResetIteration();
                throw new InvalidOperationException(
                    $"DistributedDataParallel (rank {group.rank()}): the previous backward pass ended before its gradients were reduced; " +
                    "the gradients of that step are incomplete. Zero them before training on.");
            }
            ResetIteration();
            iteration++;
            openPass = new ForwardPass(iteration);
            // Made before the model runs, so that its backward node is the pass's oldest and runs last.
            return ForwardStartSignal.Start(anchor, openPass, this);
        }
    }

    /// <summary>Ends the forward: joins <paramref name="start"/> (from <see cref="BeginForward"/>) to <paramref name="output"/> when a backward can follow.</summary>
    public Tensor JoinOutput(Tensor output, Tensor start)
    {
        lock (gate)
        {
            openPass = null;
            if (!output.requires_grad || !Native.TensorMemory.IsFloatingPoint(output.dtype)) return output;
            passesPending++;
        }
        return output + (start.dtype == output.dtype ? start : start.to(output.dtype));
    }

    private int[][] HookModules(nn.Module root)
    {
        var index = new Dictionary<IntPtr, int>();
        for (var i = 0; i < parameters.Length; i++) index[parameters[i].Handle] = i;
        var owners = new List<int[]>();
        foreach (var module in new[] { root }.Concat(root.modules()).Distinct())
        {
            var own = module.named_parameters(recurse: false)
                .Select(p => index.TryGetValue(p.parameter.Handle, out var i) ? i : -1).Where(i => i >= 0).ToArray();
            if (own.Length == 0 || module is not nn.Module<Tensor, Tensor> single) continue;
            var moduleIndex = owners.Count;
            owners.Add(own);
            foreach (var p in own) neverSignalled[p] = false;
            var handle = single.register_forward_pre_hook((_, input) => OnModuleInput(moduleIndex, input));
            unhook.Add(handle.remove);
        }
        // A parameter owned by a module whose forward takes something else than one tensor is never signalled.
        foreach (var module in new[] { root }.Concat(root.modules()).Distinct().Where(m => m is not nn.Module<Tensor, Tensor>))
            foreach (var (_, p) in module.named_parameters(recurse: false))
                if (index.TryGetValue(p.Handle, out var i)) neverSignalled[i] = true;
        return owners.ToArray();
    }

    // A hooked module is called: count this use of its parameters, and wrap its input when backward will reach it.
    private Tensor OnModuleInput(int module, Tensor input)
    {
        lock (gate)
        {
            if (openPass is null || disposed) return null!;
            var signals = input.requires_grad;
            foreach (var p in moduleParameters[module])
            {
                if (signals) usesPending[p]++;
                else unsignalledUse[p] = true;
            }
            if (!signals) return null!; // TorchSharp keeps the input when a pre-hook returns null
            return ModuleInputSignal.Wrap(input, new ModuleUse(module, openPass), this);
        }
    }

    public bool OnModuleInputReached(ModuleUse use)
    {
        lock (gate)
        {
            if (!Current(use.Pass)) return false;
            try
            {
                backwardStarted = true;
                foreach (var p in moduleParameters[use.Module])
                {
                    if (--usesPending[p] == 0 && !unsignalledUse[p] && !ready[p]) MarkReady(p);
                }
                return true;
            }
            catch (Exception e)
            {
                return Fail($"DistributedDataParallel (rank {group.rank()}): reducing gradients during backward failed: {e.Message}");
            }
        }
    }

    public bool OnForwardStartReached(ForwardPass pass)
    {
        lock (gate)
        {
            if (!Current(pass)) return false;
            backwardStarted = true;
            if (--passesPending > 0) return true;
            try
            {
                return FinishBackward();
            }
            catch (Exception e)
            {
                return Fail($"DistributedDataParallel (rank {group.rank()}): reducing gradients at the end of backward failed: {e.Message}");
            }
        }
    }

    // A signal of an older forward pass: backward ran through two forwards of the model.
    private bool Current(ForwardPass pass)
    {
        if (failure is not null) return false;
        if (pass.Iteration == iteration && !disposed) return true;
        return Fail($"DistributedDataParallel (rank {group.rank()}): a backward pass reached a forward of the model older than the last one. " +
                    "Call backward after every forward that needs gradients, and run other forwards under torch.no_grad().");
    }

    private void MarkReady(int p)
    {
        ready[p] = true;
        if (mode == Mode.CheckSignals)
        {
            using var grad = parameters[p].grad;
            snapshots[p]?.Dispose();
            snapshots[p] = grad?.clone().DetachFromDisposeScope();
            return;
        }
        if (mode == Mode.AtEndOnly) return;
        MoveIntoBucket(p);
        while (nextToLaunch < buckets.Length && buckets[nextToLaunch].Pending == 0) Launch(nextToLaunch++);
    }

    // Runs once per synchronised backward, after every gradient of it has been written.
    private bool FinishBackward()
    {
        if (mode == Mode.CheckSignals) CheckSignals();
        var unused = new List<int>();
        for (var p = 0; p < parameters.Length; p++)
        {
            if (inBucket[p]) continue;
            if (!MoveIntoBucket(p)) unused.Add(p);
        }
        // Launch what is left, in order: peers that used these parameters wait for them.
        while (nextToLaunch < buckets.Length) Launch(nextToLaunch++);
        for (var b = 0; b < works.Length; b++)
        {
            try { works[b]!.wait(); }
            catch (Exception e)
            {
                return Fail($"DistributedDataParallel (rank {group.rank()}): the all-reduce of gradient bucket {b} failed: {e.Message}");
            }
        }
        if (unused.Count > 0 && !findUnusedParameters) return Fail(UnusedMessage(unused));
        ResetIteration();
        return true;
    }

    // The self-check: did every signal fire after its parameters' gradients were final?
    private void CheckSignals()
    {
        var early = new List<string>();
        for (var p = 0; p < parameters.Length; p++)
        {
            if (!ready[p]) continue;
            using var grad = parameters[p].grad;
            var same = snapshots[p] is { } before ? grad is not null && before.shape.SequenceEqual(grad.shape) && before.allclose(grad, rtol: 0, atol: 0, equal_nan: true) : grad is null;
            if (!same) early.Add(names[p]);
            snapshots[p]?.Dispose();
            snapshots[p] = null;
        }
        mode = early.Count == 0 ? Mode.Overlap : Mode.AtEndOnly;
        if (early.Count > 0)
        {
            Console.Error.WriteLine(
                $"DistributedDataParallel (rank {group.rank()}): the gradient-ready signal fired before the gradients of {string.Join(", ", early)} were final " +
                "(TorchSharp's autograd engine ran in another order than expected, or these parameters are used outside the modules that own them). " +
                "Gradients are reduced after backward from now on: results stay exact, communication no longer overlaps backward.");
        }
    }

    // Puts the parameter's gradient into its bucket (its .grad becomes the bucket view); false when it has none.
    private bool MoveIntoBucket(int p)
    {
        var (b, slot) = location[p];
        var bucket = buckets[b];
        inBucket[p] = true;
        bucket.Pending--;
        using var grad = parameters[p].grad;
        if (grad is not null && bucket.IsView(slot, grad)) return true;
        if (grad is null) bucket.ZeroSlot(slot);
        else bucket.CopyIn(slot, grad);
        parameters[p].grad = bucket.View(slot);
        return grad is not null;
    }

    // At construction: the parameter's .grad becomes its bucket view, holding the gradient it has (zero when none).
    private void AdoptExistingGradient(int p)
    {
        var (b, slot) = location[p];
        using var grad = parameters[p].grad;
        if (grad is null) buckets[b].ZeroSlot(slot);
        else buckets[b].CopyIn(slot, grad);
        parameters[p].grad = buckets[b].View(slot);
    }

    private void Launch(int b)
    {
        try
        {
            works[b] = group.all_reduce_async(buckets[b].Flat, ReduceOp.AVG);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"starting the all-reduce of gradient bucket {b} failed: {e.Message}", e);
        }
    }

    // Keeps the reason for the next forward, says it now, and leaves no half-reduced gradient behind:
    // every .grad is set to none, so an optimizer step skips them instead of applying them.
    private bool Fail(string message)
    {
        failure ??= message;
        Console.Error.WriteLine(message);
        Drain();
        foreach (var p in parameters)
        {
            if (!p.IsInvalid) p.grad = null;
        }
        ResetIteration();
        return false;
    }

    private void Drain()
    {
        foreach (var w in works)
        {
            try { w?.wait(); }
            catch (Exception) { /* this failure was reported by whoever waited first */ }
        }
    }

    private string UnusedMessage(List<int> unused)
    {
        var text = new StringBuilder();
        text.Append($"DistributedDataParallel (rank {group.rank()}): {unused.Count} parameter(s) received no gradient in this backward pass: ");
        text.AppendJoin(", ", unused.Select(i => names[i]));
        text.Append(". Every parameter that requires grad must take part in computing the loss on every rank; ");
        text.Append("otherwise set requires_grad = false on it, or pass findUnusedParameters: true.");
        return text.ToString();
    }

    private void ResetIteration()
    {
        for (var b = 0; b < works.Length; b++)
        {
            works[b]?.Dispose();
            works[b] = null;
        }
        foreach (var bucket in buckets) bucket.Reset();
        for (var p = 0; p < parameters.Length; p++)
        {
            usesPending[p] = 0;
            unsignalledUse[p] = neverSignalled[p];
            snapshots[p]?.Dispose();
            snapshots[p] = null;
        }
        Array.Clear(ready);
        Array.Clear(inBucket);
        nextToLaunch = 0;
        passesPending = 0;
        backwardStarted = false;
        openPass = null;
    }

    /// <summary>Removes the hooks and frees the buckets; the parameters keep copies of their gradients.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            foreach (var remove in unhook) remove();
            Drain();
            ResetIteration();
            foreach (var p in parameters)
            {
                if (p.IsInvalid) continue;
                using var grad = p.grad;
                if (grad is not null) p.grad = grad.clone().DetachFromDisposeScope();
            }
            foreach (var b in buckets) b.Dispose();
            anchor.Dispose();
        }
    }
}
