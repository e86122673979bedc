using System.Diagnostics;
using System.Text;
using DistTrain.Tests.Shared;

namespace DistTrain.Examples.Tests.Support;

/// <summary>An example started as 2 real ranks by <c>disttrain run --standalone --nproc-per-node 2</c>, its output collected.</summary>
internal sealed class ExampleRun : IDisposable
{
    private readonly StringBuilder output = new();

    private ExampleRun(Process process) => Process = process;

    /// <summary>The launcher's process.</summary>
    public Process Process { get; }

    /// <summary>Everything the launcher and the ranks printed so far (ranks' lines prefixed "[rankN]: ").</summary>
    public string Output
    {
        get { lock (output) return output.ToString(); }
    }

    /// <summary>
    /// Starts <c>disttrain run --standalone --nproc-per-node 2 [launcherArguments] -- examples/NAME/bin/Release/net10.0/NAME.dll [arguments]</c>
    /// with one BLAS and OpenMP thread per rank.
    /// </summary>
    public static ExampleRun Start(string example, IEnumerable<string> arguments, IEnumerable<string>? launcherArguments = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])[RepoPaths.Of("launcher/DistTrain.Launcher/bin/Release/net10.0/disttrain.dll"), "run", "--standalone", "--nproc-per-node", "2",
                     .. launcherArguments ?? [], "--", RepoPaths.Of($"examples/{example}/bin/Release/net10.0/{example}.dll"), .. arguments])
            start.ArgumentList.Add(arg);
        start.Environment["OPENBLAS_NUM_THREADS"] = "1";
        start.Environment["OMP_NUM_THREADS"] = "1";
        var run = new ExampleRun(Process.Start(start)!);
        run.Process.OutputDataReceived += (_, e) => run.Append(e.Data);
        run.Process.ErrorDataReceived += (_, e) => run.Append(e.Data);
        run.Process.BeginOutputReadLine();
        run.Process.BeginErrorReadLine();
        return run;
    }

    /// <summary>Runs it to the end (at most <paramref name="limit"/>) and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string example, IEnumerable<string> arguments, TimeSpan limit,
        IEnumerable<string>? launcherArguments = null)
    {
        using var run = Start(example, arguments, launcherArguments);
        await run.Process.WaitForExitAsync().WaitAsync(limit);
        run.Process.WaitForExit(); // drains the redirected streams
        return (run.Process.ExitCode, run.Output);
    }

    public void Dispose()
    {
        if (!Process.HasExited) Process.Kill(entireProcessTree: true);
        Process.Dispose();
    }

    private void Append(string? line)
    {
        lock (output) output.AppendLine(line);
    }
}
