using System.Text;
using DistTrain.Torch.Distributed;
using DistTrain.Torch;
using DistTrain.Torch.Autograd;

namespace DistTrain.Parallel;

/// <summary>
/// The bucketed gradient all-reduce behind <see cref="DistributedDataParallel"/>. A post-accumulate-grad
/// hook on every parameter marks its gradient ready; when a bucket's last gradient is ready and every
/// earlier bucket has been launched, the bucket's average is started as an asynchronous all-reduce, so
/// communication runs while backward computes the remaining gradients, and every rank issues the same
/// collectives in the same (bucket) order. A callback queued on the autograd engine runs when backward
/// has written every gradient: it launches what is left, waits for every all-reduce and reports the
/// parameters that received no gradient.
/// </summary>
internal sealed class GradientReducer : IDisposable
{
    private readonly ProcessGroup group;
    private readonly torch.nn.Parameter[] parameters;
    private readonly string[] names;
    private readonly GradientBucket[] buckets;
    private readonly (int Bucket, int Slot)[] location;
    private readonly bool findUnusedParameters;
    private readonly RemovableHandle[] hooks;
    private readonly bool[] ready;
    private readonly Work?[] works;
    private readonly object gate = new();
    private int nextToLaunch;
    private bool backwardStarted;
    private bool disposed;

    /// <summary>Buckets <paramref name="parameters"/> (those requiring grad, in registration order) and hooks them.</summary>
    public GradientReducer(ProcessGroup group, IReadOnlyList<(string Name, torch.nn.Parameter Parameter)> parameters,
        long firstBucketBytes, long bucketBytes, bool findUnusedParameters)
    {
        this.group = group;
        this.parameters = parameters.Select(p => p.Parameter).ToArray();
        names = parameters.Select(p => p.Name).ToArray();
        this.findUnusedParameters = findUnusedParameters;
        var items = new BucketPlan.Item[this.parameters.Length];
        for (var i = 0; i < items.Length; i++)
        {
            var p = this.parameters[i];
            items[i] = new BucketPlan.Item(i, p.numel() * torch.ElementSize(p.dtype), (p.dtype, p.device));
        }
        var plan = BucketPlan.Compute(items, firstBucketBytes, bucketBytes);
        buckets = new GradientBucket[plan.Count];
        location = new (int, int)[this.parameters.Length];
        for (var b = 0; b < plan.Count; b++)
        {
            buckets[b] = new GradientBucket(b, plan[b], this.parameters);
            for (var slot = 0; slot < plan[b].Length; slot++) location[plan[b][slot]] = (b, slot);
        }
        ready = new bool[this.parameters.Length];
        works = new Work?[buckets.Length];
        for (var i = 0; i < this.parameters.Length; i++) AdoptExistingGradient(i);
        hooks = new RemovableHandle[this.parameters.Length];
        for (var i = 0; i < hooks.Length; i++)
        {
            var index = i;
            hooks[i] = this.parameters[i].register_post_accumulate_grad_hook(_ => OnGradientReady(index));
        }
    }

    /// <summary>False inside <see cref="DistributedDataParallel.no_sync"/>: gradients accumulate locally, nothing is reduced.</summary>
    public bool SyncEnabled { get; set; } = true;

    /// <summary>The buckets' sizes in bytes, in issue order.</summary>
    public IReadOnlyList<long> BucketBytes => buckets.Select(b => b.Bytes).ToArray();

    /// <summary>The parameter names of each bucket, in issue order.</summary>
    public IReadOnlyList<string[]> BucketParameterNames => buckets.Select(b => b.Parameters.Select(i => names[i]).ToArray()).ToArray();

    /// <summary>
    /// Called before each forward that may be followed by a synchronised backward: reports (once) a previous
    /// backward that failed before its reduction finished, and starts afresh.
    /// </summary>
    /// <exception cref="InvalidOperationException">The previous backward ended (failed) before its gradients were reduced.</exception>
    public void PrepareForForward()
    {
        lock (gate)
        {
            if (backwardStarted)
            {
                // The queued callback never ran: backward failed after some hooks. Drain and start afresh.
                foreach (var w in works)
                {
                    try { w?.wait(); } catch (Exception) { /* the failure was reported by that backward */ }
                }
                ResetIteration();
                throw new InvalidOperationException(
                    $"DistributedDataParallel (rank {group.rank()}): the previous backward pass failed before its gradients were reduced; " +
                    "the gradients of that step are incomplete. Zero them before training on.");
            }
        }
    }

    private void OnGradientReady(int index)
    {
        if (!SyncEnabled) return;
        lock (gate)
        {
            if (!backwardStarted)
            {
                backwardStarted = true;
                torch.autograd.queue_callback(FinishBackward);
            }
            if (ready[index]) return;
            ready[index] = true;
            MoveIntoBucket(index);
            var bucket = buckets[location[index].Bucket];
            bucket.Pending--;
            while (nextToLaunch < buckets.Length && buckets[nextToLaunch].Pending == 0) Launch(nextToLaunch++);
        }
    }

    // At construction: the parameter's .grad becomes its bucket view, holding the gradient it has (zero when none).
    private void AdoptExistingGradient(int index)
    {
        var (b, slot) = location[index];
        var view = buckets[b].View(slot);
        using (var grad = parameters[index].grad)
        {
            if (grad is null) view.zero_();
            else view.copy_(grad);
        }
        parameters[index].grad = view;
    }

    // When backward accumulated into the bucket view (the gradient was zeroed in place, or accumulates under
    // no_sync), there is nothing to move: the launch divides it. After zero_grad's default (set to none)
    // backward gave the parameter a new tensor: it is divided while copied into the view, one pass, as
    // PyTorch's reducer does, and the view becomes .grad again.
    private void MoveIntoBucket(int index)
    {
        var (b, slot) = location[index];
        var view = buckets[b].View(slot);
        using var grad = parameters[index].grad;
        if (grad is not null && grad.is_set_to(view)) return;
        if (grad is null) buckets[b].ZeroSlot(slot);
        else buckets[b].CopyInAveraged(slot, grad, group.size());
        parameters[index].grad = view;
    }

    private void Launch(int b)
    {
        var bucket = buckets[b];
        try
        {
            bucket.AverageTheRest(group.size());
            works[b] = group.all_reduce_async(bucket.Flat);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"DistributedDataParallel (rank {group.rank()}): starting the all-reduce of gradient bucket {b} failed: {e.Message}", e);
        }
    }

    // Runs once per synchronised backward, after every gradient has been written.
    private void FinishBackward()
    {
        lock (gate)
        {
            try
            {
                var unused = Enumerable.Range(0, parameters.Length).Where(i => !ready[i]).ToList();
                foreach (var i in unused)
                {
                    // Unused here: contribute zero, so that the buckets can still be reduced on every rank.
                    buckets[location[i].Bucket].ZeroSlot(location[i].Slot);
                    parameters[i].grad = buckets[location[i].Bucket].View(location[i].Slot);
                    buckets[location[i].Bucket].Pending--;
                }
                // Launch every bucket not launched yet, in order: peers that used these parameters wait for them.
                while (nextToLaunch < buckets.Length) Launch(nextToLaunch++);
                for (var b = 0; b < works.Length; b++)
                {
                    try { works[b]!.wait(); }
                    catch (Exception e)
                    {
                        throw new InvalidOperationException(
                            $"DistributedDataParallel (rank {group.rank()}): the all-reduce of gradient bucket {b} failed: {e.Message}", e);
                    }
                }
                if (unused.Count > 0 && !findUnusedParameters) throw new InvalidOperationException(UnusedMessage(unused));
            }
            finally
            {
                ResetIteration();
            }
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
        Array.Clear(ready);
        nextToLaunch = 0;
        backwardStarted = false;
    }

    /// <summary>Removes the hooks and frees the buckets; the parameters keep copies of their gradients.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            foreach (var h in hooks) h.remove();
            for (var i = 0; i < parameters.Length; i++)
            {
                if (parameters[i].IsInvalid) continue;
                using var grad = parameters[i].grad;
                if (grad is not null) parameters[i].grad = grad.clone();
            }
            foreach (var w in works) w?.Dispose();
            foreach (var b in buckets) b.Dispose();
        }
    }
}
