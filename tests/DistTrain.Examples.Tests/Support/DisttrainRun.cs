using System.Diagnostics;
using System.Text;
using DistTrain.Tests.Shared;

namespace DistTrain.Examples.Tests.Support;

/// <summary>Starts the built `disttrain run` (launcher/DistTrain.Launcher) as a real process and collects its output (every rank's, prefixed).</summary>
internal static class DisttrainRun
{
    /// <summary>`disttrain run <paramref name="arguments"/>` with one BLAS thread; the caller waits for and disposes the process.</summary>
    public static (Process Process, StringBuilder Output) Start(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])[RepoPaths.Of("launcher/DistTrain.Launcher/bin/Release/net10.0/disttrain.dll"), "run", .. arguments])
            start.ArgumentList.Add(arg);
        start.Environment["OPENBLAS_NUM_THREADS"] = "1";
        var output = new StringBuilder();
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, output);
    }
}
