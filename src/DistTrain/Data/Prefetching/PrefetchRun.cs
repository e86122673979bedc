using System.Collections;
using System.Diagnostics;
using static TorchSharp.torch;

namespace DistTrain.Data;

/// <summary>
/// One enumeration of a <see cref="PrefetchingLoader"/>: worker threads take the next batch number and its
/// ids (under one lock, so batch k always gets the k-th run of ids), build it and complete its slot; the
/// consumer waits for slot k, k + 1, … in order. A semaphore of <c>PrefetchBatches</c> permits bounds the
/// batches built and not yet taken. The first worker to find the sampler exhausted completes the next
/// slot with null: the end.
/// </summary>
internal sealed class PrefetchRun : IEnumerator<PrefetchedBatch>
{
    private readonly PrefetchingLoader loader;
    private readonly Func<long, IReadOnlyList<Tensor>> sample;
    private readonly IEnumerator<long> ids;
    private readonly object gate = new();
    private readonly Dictionary<long, TaskCompletionSource<PrefetchedBatch?>> slots = [];
    private readonly SemaphoreSlim room;
    private readonly CancellationTokenSource stop = new();
    private readonly Thread[] workers;
    private long nextToBuild;
    private long nextToTake;
    private bool idsDone;
    private bool disposed;
    private bool finished;
    private PrefetchedBatch? current;

    public PrefetchRun(PrefetchingLoader loader, IEnumerable<long> sampler, Func<long, IReadOnlyList<Tensor>> sample)
    {
        this.loader = loader;
        this.sample = sample;
        ids = sampler.GetEnumerator();
        room = new SemaphoreSlim(loader.PrefetchBatches);
        workers = new Thread[loader.NumWorkers];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = new Thread(Work) { IsBackground = true, Name = $"PrefetchingLoader worker {i}" };
            workers[i].Start();
        }
    }

    public PrefetchedBatch Current => current ?? throw new InvalidOperationException("MoveNext has not returned true.");

    object IEnumerator.Current => Current;

    public bool MoveNext()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (loader.DisposeBatches) current?.Dispose();
        current = null;
        if (finished) return false;
        finished = true; // until a batch comes: an exception also ends the enumeration
        var clock = Stopwatch.StartNew();
        var next = workers.Length == 0 ? BuildNext() : Take(nextToTake);
        loader.RecordWait(clock.Elapsed, next is not null);
        if (next is null) return false;
        nextToTake++;
        if (workers.Length > 0) room.Release();
        finished = false;
        current = next;
        return true;
    }

    public void Reset() => throw new NotSupportedException("Enumerate the loader again for another pass.");

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        stop.Cancel();
        foreach (var worker in workers) worker.Join();
        if (loader.DisposeBatches) current?.Dispose();
        lock (gate)
        {
            foreach (var slot in slots.Values)
                if (slot.Task.IsCompletedSuccessfully) slot.Task.Result?.Dispose();
            slots.Clear();
        }
        ids.Dispose();
        room.Dispose();
        stop.Dispose();
    }

    // Blocks until batch k is built (or the end, or a failure, which it throws).
    private PrefetchedBatch? Take(long k)
    {
        Task<PrefetchedBatch?> task;
        lock (gate) task = Slot(k).Task;
        try
        {
            return task.GetAwaiter().GetResult(); // the worker's exception itself, not an AggregateException
        }
        finally
        {
            lock (gate) slots.Remove(k);
        }
    }

    private void Work()
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                room.Wait(stop.Token);
                long index;
                long[]? batch;
                lock (gate)
                {
                    if (idsDone) return;
                    index = nextToBuild++;
                    batch = NextIds();
                    if (batch is null)
                    {
                        idsDone = true;
                        Slot(index).TrySetResult(null);
                        return;
                    }
                }
                try
                {
                    var built = BatchBuilder.Build(index, batch, sample);
                    lock (gate) Slot(index).TrySetResult(built);
                }
                catch (Exception e)
                {
                    lock (gate)
                    {
                        idsDone = true; // nothing after a failed batch is built
                        Slot(index).TrySetException(e);
                    }
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed: leave.
        }
        catch (Exception e)
        {
            // The sampler itself failed: the consumer sees it at the batch it was cutting.
            lock (gate)
            {
                idsDone = true;
                Slot(nextToBuild - 1).TrySetException(e);
            }
        }
    }

    private PrefetchedBatch? BuildNext()
    {
        var batch = NextIds();
        return batch is null ? null : BatchBuilder.Build(nextToBuild++, batch, sample);
    }

    // The next batch's ids from the sampler, or null when none are left (or only a short batch, with dropLast).
    private long[]? NextIds()
    {
        var batch = new List<long>(loader.BatchSize);
        while (batch.Count < loader.BatchSize && ids.MoveNext()) batch.Add(ids.Current);
        return batch.Count == 0 || (loader.DropLast && batch.Count < loader.BatchSize) ? null : [.. batch];
    }

    private TaskCompletionSource<PrefetchedBatch?> Slot(long k)
    {
        if (!slots.TryGetValue(k, out var slot))
            slots[k] = slot = new TaskCompletionSource<PrefetchedBatch?>(TaskCreationOptions.RunContinuationsAsynchronously);
        return slot;
    }
}
