using System.Globalization;
using System.Text;
using DistTrain.Launcher.Workers;

namespace DistTrain.Launcher.Agent;

/// <summary>How the agent's run ended, and the text printed at exit.</summary>
public sealed record RunSummary
{
    /// <summary>The job's id.</summary>
    public required string RunId { get; init; }

    /// <summary>This node's id.</summary>
    public required string NodeId { get; init; }

    /// <summary>The process exit code.</summary>
    public required int ExitCode { get; init; }

    /// <summary>One line: "finished", "failed: restarts used up", "stopped by SIGTERM"…</summary>
    public required string Outcome { get; init; }

    /// <summary>Restarts after failures.</summary>
    public int Restarts { get; init; }

    /// <summary>The restart limit.</summary>
    public int MaxRestarts { get; init; }

    /// <summary>The last round this node ran.</summary>
    public ulong Round { get; init; }

    /// <summary>How long the agent ran.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Every worker failure this node saw, in order; the last attempt's is the root cause when the job failed.</summary>
    public IReadOnlyList<WorkerFailure> Failures { get; init; } = [];

    /// <summary>Every rank of this node that the coordinator named stuck and for which the agent restarted the group, in order.</summary>
    public IReadOnlyList<StuckRank> StuckRanks { get; init; } = [];

    /// <summary>The root cause: the first failing rank of the attempt that ended the job, or null.</summary>
    public WorkerFailure? RootCause { get; init; }

    /// <summary>The text printed at exit.</summary>
    public string Format()
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine("==================== disttrain summary ====================");
        text.AppendLine(c, $"job {RunId}, node {NodeId}: {Outcome}");
        text.AppendLine(c, $"  round {Round}, restarts {Restarts}/{MaxRestarts}, elapsed {Elapsed:hh\\:mm\\:ss\\.f}");
        if (RootCause is { } root)
        {
            var pid = root.Pid > 0 ? string.Create(c, $", pid {root.Pid}") : "";
            text.AppendLine(c, $"  root cause (first failing rank): rank {root.Rank} (local rank {root.LocalRank}{pid}) on host {root.Host}");
            text.AppendLine(root.StoppedByAgent
                ? string.Create(c, $"    failed first, by its last words; still exiting when rank {root.FirstToExit?.Rank} exited, so disttrain stopped it ({root.Status})")
                : string.Create(c, $"    {root.Status}; {root.OomText}"));
            text.AppendLine(c, $"    at {root.Time:yyyy-MM-ddTHH:mm:ss.fffZ}, round {root.Round}, attempt {root.Attempt}");
            foreach (var line in LastWordsText.Lines(root))
            {
                text.AppendLine(c, $"    {line}");
            }

            if (root.FirstToExit is { } first)
            {
                var why = first.LastWords?.Failure is { } words ? $": {words.ExceptionType}: {words.Message}" : "";
                text.AppendLine(c, $"    first to exit, a consequence: rank {first.Rank} ({first.Status}){why}");
            }

            if (root.LogDirectory is not null)
            {
                text.AppendLine(c, $"    output: {Path.Combine(root.LogDirectory, "stderr.log")} and stdout.log");
            }
        }

        var earlier = Failures.Where(f => !ReferenceEquals(f, RootCause)).ToList();
        if (earlier.Count > 0)
        {
            text.AppendLine("  earlier failures (each restarted the group):");
            foreach (var f in earlier)
            {
                var why = f.LastWords?.Failure is { } words ? $": {words.ExceptionType}: {words.Message}" : "";
                text.AppendLine(c, $"    rank {f.Rank} on {f.Host}: {f.Status}, round {f.Round}, attempt {f.Attempt}{why}");
            }
        }

        if (StuckRanks.Count > 0)
        {
            text.AppendLine("  stuck ranks, named by the coordinator (each restarted the group):");
            foreach (var s in StuckRanks)
            {
                text.AppendLine(c, $"    {s.Text}");
            }
        }

        text.Append("===========================================================");
        return text.ToString();
    }
}
