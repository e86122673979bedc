using System.Globalization;
using DistTrain.Launcher.Terminal;
using DistTrain.Launcher.Workers;

namespace DistTrain.Launcher.Agent;

/// <summary>The lines of the run's summary that tell a failed worker's last words, or why there are none.</summary>
public static class LastWordsText
{
    /// <summary>How many stack frames the summary shows; the error file has them all.</summary>
    public const int TopFrames = 5;

    /// <summary>
    /// The exception (type: message), where training was (step, collective), the top <see cref="TopFrames"/>
    /// stack frames and the error file's path; or one line saying why there are no last words. Unindented.
    /// </summary>
    public static IReadOnlyList<string> Lines(WorkerFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var c = CultureInfo.InvariantCulture;
        if (failure.LastWords is not { } words)
        {
            return ["no error file was set for it (DISTTRAIN_ERROR_FILE): see its output"];
        }

        if (words.Problem is { } problem)
        {
            return [problem];
        }

        if (words.Failure is not { } last)
        {
            return [failure.Signal is { } signal
                ? $"no last words: a worker killed by a signal ({Signals.Name(signal)}) writes no error file ({words.Path}); see its output"
                : $"no last words in {words.Path}: it exited with {failure.ExitCode} without an unhandled exception (a program that catches its exceptions calls LastWords.Record in that catch); see its output"];
        }

        var collective = last.Collective is { Name.Length: > 0 } k
            ? string.Create(c, $"last collective {k.Name} #{k.Sequence}{(k.Waiting ? ", waiting in it" : "")}")
            : "no collective issued";
        var lines = new List<string>
        {
            $"{last.ExceptionType}: {last.Message}",
            string.Create(c, $"after step {last.Step}; {collective}; pid {last.Identity.Pid}, round {last.Identity.Round}"),
        };
        var frames = last.StackTrace.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("at ", StringComparison.Ordinal)).ToList();
        lines.AddRange(frames.Take(TopFrames).Select(f => "  " + f));
        if (frames.Count > TopFrames)
        {
            lines.Add(string.Create(c, $"  … {frames.Count - TopFrames} more frame(s) in the error file"));
        }

        lines.Add($"error file: {words.Path}");
        return lines;
    }
}
