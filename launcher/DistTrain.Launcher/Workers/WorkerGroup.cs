using System.Globalization;
using DistTrain.Launcher.Terminal;

namespace DistTrain.Launcher.Workers;

/// <summary>How a worker group ended.</summary>
/// <param name="Succeeded">Every worker exited with 0.</param>
/// <param name="FirstFailure">The first worker that failed on its own (the root cause), or null.</param>
public sealed record GroupResult(bool Succeeded, WorkerFailure? FirstFailure);

/// <summary>
/// This node's workers for one round: started together, watched together, stopped together
/// (SIGTERM to every process group, SIGKILL after the grace period).
/// </summary>
public sealed class WorkerGroup : IDisposable
{
    private readonly List<WorkerProcess> _workers;
    private readonly long? _oomKillsAtStart;
    private readonly string _host;
    private readonly ulong _round;
    private readonly int _attempt;

    private WorkerGroup(List<WorkerProcess> workers, long? oomKillsAtStart, string host, ulong round, int attempt)
    {
        _workers = workers;
        _oomKillsAtStart = oomKillsAtStart;
        _host = host;
        _round = round;
        _attempt = attempt;
    }

    /// <summary>The workers, in local-rank order.</summary>
    public IReadOnlyList<WorkerProcess> Workers => _workers;

    /// <summary>How many are still running.</summary>
    public int Alive => _workers.Count(w => !w.HasExited);

    /// <summary>Starts one worker per entry of <paramref name="environments"/> (their environments, in local-rank order).</summary>
    /// <param name="program">What every worker runs.</param>
    /// <param name="environments">Each worker's rank, local rank, environment and log directory.</param>
    /// <param name="view">Where output is shown.</param>
    /// <param name="tee">Streams shown on the console.</param>
    /// <param name="host">This node's host name, for failure reports.</param>
    /// <param name="round">The round the workers belong to.</param>
    /// <param name="attempt">Which start of this node's workers this is (0: the first).</param>
    public static WorkerGroup Start(
        WorkerProgram program, IReadOnlyList<WorkerLaunch> environments, ConsoleView view, int tee, string host, ulong round, int attempt)
    {
        ArgumentNullException.ThrowIfNull(environments);
        var oom = OomProbe.ReadOomKills();
        var workers = new List<WorkerProcess>(environments.Count);
        try
        {
            foreach (var launch in environments)
            {
                workers.Add(WorkerProcess.Start(program, launch, view, tee));
            }
        }
        catch
        {
            foreach (var worker in workers)
            {
                worker.Signal(Signals.SigKill, byAgentStop: true);
                worker.Dispose();
            }

            throw;
        }

        return new WorkerGroup(workers, oom, host, round, attempt);
    }

    /// <summary>
    /// Waits until every worker exited with 0 (success) or one exits otherwise (failure, naming it);
    /// the other workers are left running for the caller to stop.
    /// </summary>
    public async Task<GroupResult> WaitAsync(CancellationToken cancellationToken = default)
    {
        var pending = _workers.Select(w => w.Exited).ToList();
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending).WaitAsync(cancellationToken).ConfigureAwait(false);
            pending.Remove(done);
            var failure = FirstFailure();
            if (failure is not null)
            {
                return new GroupResult(false, failure);
            }
        }

        return new GroupResult(true, null);
    }

    /// <summary>The earliest worker that ended on its own with a non-zero status, or null.</summary>
    public WorkerFailure? FirstFailure()
    {
        var first = _workers
            .Where(w => w.HasExited && !w.StoppedByAgent && w.ExitCode != 0)
            .OrderBy(w => w.ExitTime)
            .FirstOrDefault();
        if (first is null)
        {
            return null;
        }

        var verdict = OomVerdict.No;
        if (first.ExitCode == 128 + Signals.SigKill)
        {
            var now = OomProbe.ReadOomKills();
            verdict = now is null || _oomKillsAtStart is null ? OomVerdict.Probably : now > _oomKillsAtStart ? OomVerdict.Counted : OomVerdict.No;
        }

        return new WorkerFailure(first.Rank, first.LocalRank, _host, first.ExitCode, first.ExitTime ?? DateTimeOffset.UtcNow, verdict, _round, _attempt, first.LogDirectory)
        {
            Pid = first.Pid,
            LastWords = first.ErrorFile is { } path ? WorkerLastWords.Read(path) : null,
        };
    }

    /// <summary>
    /// The root cause of the group's failure once it is stopped: the worker whose last words are the
    /// oldest, when that is older than <paramref name="firstExit"/>'s (a rank that dies takes its process
    /// group down on its way out, so the peers it leaves may fail and exit before it); otherwise <paramref name="firstExit"/>.
    /// Call it after <see cref="StopAsync"/>: every worker has exited then.
    /// </summary>
    public WorkerFailure RootCause(WorkerFailure firstExit)
    {
        ArgumentNullException.ThrowIfNull(firstExit);
        var firstTime = firstExit.LastWords?.Failure?.UnixMs ?? firstExit.Time.ToUnixTimeMilliseconds();
        var earlier = _workers
            .Where(w => w.Rank != firstExit.Rank && w.ErrorFile is not null)
            .Select(w => (Worker: w, Words: WorkerLastWords.Read(w.ErrorFile!)))
            .Where(p => p.Words.Failure is { } f && f.UnixMs < firstTime)
            .OrderBy(p => p.Words.Failure!.UnixMs)
            .FirstOrDefault();
        if (earlier.Worker is not { } worker)
        {
            return firstExit;
        }

        return new WorkerFailure(worker.Rank, worker.LocalRank, _host, worker.ExitCode, worker.ExitTime ?? DateTimeOffset.UtcNow, OomVerdict.No, _round, _attempt, worker.LogDirectory)
        {
            Pid = worker.Pid,
            LastWords = earlier.Words,
            StoppedByAgent = worker.StoppedByAgent,
            FirstToExit = firstExit,
        };
    }

    /// <summary>Sends <paramref name="signal"/> to every worker's process group (SIGUSR1 and the like, forwarded).</summary>
    public void Forward(int signal)
    {
        foreach (var worker in _workers)
        {
            worker.Signal(signal);
        }
    }

    /// <summary>
    /// Stops every worker: SIGTERM to each process group, then SIGKILL to whatever is left after
    /// <paramref name="gracePeriod"/>, or as soon as <paramref name="hurry"/> is cancelled. Returns when all have exited.
    /// </summary>
    public async Task StopAsync(TimeSpan gracePeriod, CancellationToken hurry = default)
    {
        foreach (var worker in _workers)
        {
            worker.Signal(Signals.SigTerm, byAgentStop: true);
        }

        var all = Task.WhenAll(_workers.Select(w => w.Exited));
        await Task.WhenAny(all, Task.Delay(gracePeriod, hurry)).ConfigureAwait(false);

        // SIGKILL every group, even those whose leader exited: a background child may linger.
        foreach (var worker in _workers)
        {
            worker.Signal(Signals.SigKill, byAgentStop: true);
        }

        await all.ConfigureAwait(false);
        await Task.WhenAll(_workers.Select(w => w.DrainAsync(TimeSpan.FromSeconds(2)))).ConfigureAwait(false);
    }

    /// <summary>A line for logs: "ranks 0-1 (pids 123, 124)".</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"ranks {_workers[0].Rank}-{_workers[^1].Rank} (pids {string.Join(", ", _workers.Select(w => w.Pid))})");

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var worker in _workers)
        {
            worker.Dispose();
        }
    }
}

/// <summary>What one worker is started with.</summary>
/// <param name="Rank">Its global rank.</param>
/// <param name="LocalRank">Its local rank.</param>
/// <param name="Environment">Its whole environment.</param>
/// <param name="LogDirectory">Where its output is kept, or null.</param>
/// <param name="ErrorFile">Where it writes its last words (<c>DISTTRAIN_ERROR_FILE</c>), or null.</param>
public sealed record WorkerLaunch(int Rank, int LocalRank, IReadOnlyDictionary<string, string> Environment, string? LogDirectory, string? ErrorFile = null);
