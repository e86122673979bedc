using System.Diagnostics;
using System.Globalization;
using DistTrain.Torch.Native;

namespace DistTrain.Torch.Distributed;

/// <summary>
/// A collective in flight (PyTorch's <c>Work</c>): <see cref="wait"/> blocks until it completed on
/// this rank, and finishes it (an average's division, for example). Dispose it once waited for.
/// </summary>
public sealed class Work : IDisposable
{
    private readonly WorkHandle _handle;
    private readonly ProcessGroup _group;
    private readonly long _started;

    internal Work(WorkHandle handle, ProcessGroup group, string collective, TimeSpan timeout)
    {
        _handle = handle;
        _group = group;
        Collective = collective;
        Timeout = timeout;
        _started = Stopwatch.GetTimestamp();
    }

    /// <summary>The collective's name (<c>all_reduce</c>, <c>broadcast</c>…).</summary>
    public string Collective { get; }

    /// <summary>The collective's timeout.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>
    /// Waits until the collective completed on this rank, at most <paramref name="timeout"/> (null:
    /// the collective's own timeout), then finishes it. Waiting again after success returns at once.
    /// </summary>
    /// <exception cref="CollectiveTimeoutException">It did not complete in time: some rank did not take part. The group is unusable afterwards.</exception>
    /// <exception cref="CollectiveException">It failed: a peer closed its connection (crashed, killed) or the backend reported an error.</exception>
    public void wait(TimeSpan? timeout = null)
    {
        var limit = timeout ?? Timeout;
        var status = NativeMethods.dt_work_wait(Handle, StoreBridge.Milliseconds(limit));
        if (status == 0) return;
        var waited = Stopwatch.GetElapsedTime(_started);
        var detail = NativeError.Last().Message;
        if (status == 1 || detail.Contains("timed out", StringComparison.OrdinalIgnoreCase))
        {
            // status 1: our wait ran out while the backend's operation still runs (its own message says nothing more).
            var backendSays = status == 1 ? "" : $" Backend: {detail}";
            throw new CollectiveTimeoutException(
                string.Create(CultureInfo.InvariantCulture,
                    $"{Collective} timed out on rank {_group.rank()} of {_group.size()} ({_group.BackendName}) after waiting {waited.TotalSeconds:0.0} s (timeout {limit.TotalSeconds:0.###} s): at least one rank did not take part in time (it is stuck, slower than the timeout, or skipped this {Collective}). The process group cannot be used after this.{backendSays}"),
                Collective, _group.rank(), _group.size(), waited, limit);
        }

        throw new CollectiveException(
            string.Create(CultureInfo.InvariantCulture,
                $"{Collective} failed on rank {_group.rank()} of {_group.size()} ({_group.BackendName}) after {waited.TotalSeconds:0.00} s: {Explain(detail)} Backend: {detail}"),
            Collective, _group.rank(), _group.size(), waited);
    }

    /// <summary>Whether the collective completed on this rank (successfully or not), without waiting.</summary>
    public bool is_completed()
    {
        var status = NativeMethods.dt_work_is_completed(Handle);
        return status < 0 ? throw NativeError.Last() : status != 0;
    }

    /// <summary>Releases the native work handle.</summary>
    public void Dispose() => _handle.Dispose();

    private IntPtr Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle.DangerousGetHandle();
        }
    }

    private static string Explain(string detail)
    {
        if (detail.Contains("closed by peer", StringComparison.OrdinalIgnoreCase)
            || detail.Contains("reset by peer", StringComparison.OrdinalIgnoreCase)
            || detail.Contains("broken pipe", StringComparison.OrdinalIgnoreCase))
        {
            return "a peer closed its connection — another rank probably crashed or was killed.";
        }

        if (detail.Contains(") exited while", StringComparison.Ordinal)) return "a peer's process exited — another rank probably crashed or was killed.";
        return detail.Contains("left the shared-memory all_reduce", StringComparison.Ordinal)
            ? "a peer closed its process group or saw it fail — that rank takes no further part."
            : "the backend reported an error.";
    }
}
