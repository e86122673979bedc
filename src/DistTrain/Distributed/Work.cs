using System.Diagnostics;
using System.Globalization;
using DistTrain.Distributed.Backends;
using DistTrain.Native;
using TorchSharp;

namespace DistTrain.Distributed;

/// <summary>
/// A collective in flight (PyTorch's <c>Work</c>): <see cref="wait"/> blocks until it completed on
/// this rank. It keeps the tensors it reads and writes alive until then. Dispose it once waited for;
/// disposing it earlier waits for the collective to end first (its own timeout bounds that).
/// </summary>
public sealed class Work : IDisposable
{
    private readonly ICollectiveWork native;
    private readonly ProcessGroup group;
    private readonly string where;
    private readonly long started = Stopwatch.GetTimestamp();
    private readonly List<torch.Tensor> held;
    private Action? completion;
    private bool finished;
    private bool disposed;

    internal Work(ICollectiveWork native, ProcessGroup group, string collective, string where, TimeSpan timeout, IEnumerable<torch.Tensor> held)
    {
        this.native = native;
        this.group = group;
        this.where = where;
        this.held = held.ToList();
        Collective = collective;
        Timeout = timeout;
    }

    /// <summary>The collective's name (<c>all_reduce</c>, <c>broadcast</c>…).</summary>
    public string Collective { get; }

    /// <summary>The collective's timeout.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>
    /// Waits until the collective completed on this rank, at most <paramref name="timeout"/> (null: until
    /// it ends, which the collective's own timeout bounds). Waiting again after success returns at once.
    /// </summary>
    /// <exception cref="CollectiveTimeoutException">It did not complete in time: some rank did not take part. When the collective's own timeout passed, the group is unusable afterwards; when only <paramref name="timeout"/> ran out, the collective still runs and can be waited for again.</exception>
    /// <exception cref="CollectivePeerLostException">A peer's process exited or it left the group (crashed, killed, closed).</exception>
    /// <exception cref="CollectiveMismatchException">The ranks passed different collectives, sizes, types, ops or roots.</exception>
    /// <exception cref="CollectiveException">The backend reported another error, or an earlier collective of the group failed.</exception>
    public void wait(TimeSpan? timeout = null)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (finished) return;
        var waitStarted = group.Tracker.BeginWait();
        CollectiveOutcome outcome;
        try { outcome = native.Wait(timeout); }
        finally { group.Tracker.EndWait(waitStarted); }
        if (outcome.Status == WorkStatus.Done)
        {
            Finish();
            return;
        }
        if (outcome.Status != WorkStatus.Pending) Release();
        throw Failure(outcome, timeout);
    }

    /// <summary>Whether the collective ended on this rank (successfully or not), without waiting.</summary>
    public bool is_completed() => finished || native.IsCompleted;

    /// <summary>Waits for the collective to end if it still runs, then releases its resources.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        if (!finished)
        {
            var waitStarted = group.Tracker.BeginWait();
            try { native.Wait(null); }
            finally { group.Tracker.EndWait(waitStarted); }
        }
        Release();
        native.Dispose();
    }

    /// <summary>Runs <paramref name="action"/> once the collective completed successfully (before <see cref="wait"/> returns) and keeps <paramref name="scratch"/> alive until then.</summary>
    internal void OnCompleted(Action action, torch.Tensor scratch)
    {
        completion += action;
        held.Add(scratch);
    }

    private void Finish()
    {
        finished = true;
        try { completion?.Invoke(); }
        finally { Release(); }
    }

    private void Release()
    {
        foreach (var t in held) t.Dispose();
        held.Clear();
        completion = null;
    }

    private CollectiveException Failure(CollectiveOutcome outcome, TimeSpan? timeout)
    {
        var waited = Stopwatch.GetElapsedTime(started);
        var inv = CultureInfo.InvariantCulture;
        switch (outcome.Status)
        {
            case WorkStatus.Pending:
                // Only this wait ran out: the collective goes on, and a later wait can still complete it.
                var waitLimit = timeout ?? Timeout;
                return new CollectiveTimeoutException(string.Create(inv,
                    $"{where} did not complete within the wait's {waitLimit.TotalSeconds:0.###} s ({waited.TotalSeconds:0.0} s since it started): at least one rank has not taken part yet. It still runs: wait again, or let its own timeout ({Timeout.TotalSeconds:0.###} s) end it."),
                    Collective, group.rank(), group.size(), waited, waitLimit);
            case WorkStatus.TimedOut:
                var backendSays = outcome.Message.Length == 0 ? "" : $" Backend: {outcome.Message}";
                return new CollectiveTimeoutException(string.Create(inv,
                    $"{where} timed out after waiting {waited.TotalSeconds:0.0} s (timeout {Timeout.TotalSeconds:0.###} s): at least one rank did not take part in time (it is stuck, slower than the timeout, or skipped this {Collective}). The process group cannot be used after this.{backendSays}"),
                    Collective, group.rank(), group.size(), waited, Timeout);
            case WorkStatus.PeerLost:
                return new CollectivePeerLostException(string.Create(inv,
                    $"{where} failed after {waited.TotalSeconds:0.00} s: a peer is gone — another rank probably crashed, was killed or closed its process group. Backend: {outcome.Message}"),
                    Collective, group.rank(), group.size(), waited);
            case WorkStatus.Mismatch:
                return new CollectiveMismatchException(
                    $"{where} failed: the ranks did not call the same collective with the same tensors. {outcome.Message}",
                    Collective, group.rank(), group.size(), waited);
            default:
                return new CollectiveException(string.Create(inv, $"{where} failed after {waited.TotalSeconds:0.00} s: {outcome.Message}"),
                    Collective, group.rank(), group.size(), waited);
        }
    }
}
