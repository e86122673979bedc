using System.Globalization;
using DistTrain.Launcher.Terminal;

namespace DistTrain.Launcher.Workers;

/// <summary>What the kernel's OOM counter says about a worker killed by SIGKILL.</summary>
public enum OomVerdict
{
    /// <summary>Not killed by SIGKILL, or the agent sent it.</summary>
    No,

    /// <summary>SIGKILL from outside the agent while the cgroup's <c>oom_kill</c> counter rose.</summary>
    Counted,

    /// <summary>SIGKILL from outside the agent, and the counter could not be read: probably the OOM killer.</summary>
    Probably,
}

/// <summary>A worker that ended on its own with a non-zero status: the root cause of a group's failure when it was the first.</summary>
/// <param name="Rank">Its global rank.</param>
/// <param name="LocalRank">Its local rank.</param>
/// <param name="Host">The host it ran on.</param>
/// <param name="ExitCode">Its exit status (128 + N for signal N).</param>
/// <param name="Time">When it exited (UTC).</param>
/// <param name="Oom">Whether the kernel's OOM killer ended it.</param>
/// <param name="Round">The rendezvous round.</param>
/// <param name="Attempt">Which start of this node's workers it was (0: the first; its log folder is attempt_N).</param>
/// <param name="LogDirectory">Where its output is kept, or null.</param>
public sealed record WorkerFailure(int Rank, int LocalRank, string Host, int ExitCode, DateTimeOffset Time, OomVerdict Oom, ulong Round, int Attempt, string? LogDirectory)
{
    /// <summary>Its process id (0: unknown).</summary>
    public int Pid { get; init; }

    /// <summary>What its error file says, or null when it was given none.</summary>
    public WorkerLastWords? LastWords { get; init; }

    /// <summary>Whether disttrain stopped it (it failed first, by its last words, but had not exited yet when another rank did).</summary>
    public bool StoppedByAgent { get; init; }

    /// <summary>The rank that exited first, when that was not this one (the root cause is the earliest failure by its last words).</summary>
    public WorkerFailure? FirstToExit { get; init; }

    /// <summary>The signal that ended it, or null when it exited.</summary>
    public int? Signal => ExitCode > 128 && ExitCode < 128 + 65 ? ExitCode - 128 : null;

    /// <summary>"exit code 1", or "signal SIGKILL (exit code 137)".</summary>
    public string Status => Signal is { } s
        ? string.Create(CultureInfo.InvariantCulture, $"signal {Signals.Name(s)} (exit code {ExitCode})")
        : string.Create(CultureInfo.InvariantCulture, $"exit code {ExitCode}");

    /// <summary>One sentence on the memory question.</summary>
    public string OomText => Oom switch
    {
        OomVerdict.Counted => "killed by the kernel's OOM killer (the cgroup's oom_kill counter rose): it ran out of memory",
        OomVerdict.Probably => "SIGKILL that disttrain did not send: probably the kernel's OOM killer (the oom_kill counter is not readable here)",
        _ => Signal == 9 ? "SIGKILL, but no OOM kill was counted" : "not an out-of-memory kill",
    };
}
