using System.Diagnostics;
using System.Text;

namespace DistTrain.Launcher.Tests.Support;

/// <summary>
/// <c>disttrain</c> run as a real process (<c>dotnet disttrain.dll ...</c>), its output collected.
/// Disposing kills it and everything it started if it is still running, so no test leaves a process behind.
/// </summary>
internal sealed class LauncherProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _gate = new();

    private LauncherProcess(Process process)
    {
        _process = process;
    }

    /// <summary>The agent's process id.</summary>
    public int Pid => _process.Id;

    /// <summary>The standard output so far.</summary>
    public string Stdout
    {
        get
        {
            lock (_gate)
            {
                return _stdout.ToString();
            }
        }
    }

    /// <summary>The standard error so far.</summary>
    public string Stderr
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Both streams, for assertion messages.</summary>
    public string Output => $"--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";

    /// <summary>The path of the test worker script.</summary>
    public static string Worker => Path.Combine(AppContext.BaseDirectory, "Workers", "worker.sh");

    /// <summary>Starts <c>disttrain</c> with <paramref name="args"/>; <paramref name="environment"/> adds or removes (null) variables.</summary>
    public static LauncherProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        // Through env, which resets SIGINT to its default before it execs dotnet (same pid): a test run started
        // in the background (`nohup ... &`) ignores SIGINT, the agent would inherit that, and .NET leaves an
        // ignored SIGINT ignored, so the tests that send it would wait in vain.
        var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "disttrain.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("DISTTRAIN_", StringComparison.Ordinal) || k.StartsWith("SLURM_", StringComparison.Ordinal) || k == "JOB_COMPLETION_INDEX").ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["DISTTRAIN_PROGRESS"] = "off";
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        var process = new Process { StartInfo = start };
        var launcher = new LauncherProcess(process);
        process.OutputDataReceived += (_, e) => launcher.Append(launcher._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => launcher.Append(launcher._stderr, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return launcher;
    }

    /// <summary>Runs <c>disttrain</c> to its end (at most <paramref name="timeout"/>) and returns it.</summary>
    public static async Task<LauncherProcess> RunAsync(IEnumerable<string> args, TimeSpan timeout, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var launcher = Start(args, environment);
        await launcher.WaitAsync(timeout);
        return launcher;
    }

    /// <summary>Waits for the exit, at most <paramref name="timeout"/>; returns the exit code. Fails the test on timeout.</summary>
    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Dispose();
            Assert.Fail($"disttrain did not exit within {timeout.TotalSeconds} s.\n{Output}");
        }

        return _process.ExitCode;
    }

    /// <summary>The exit code (after <see cref="WaitAsync"/>).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Waits until <paramref name="condition"/> holds, at most <paramref name="timeout"/>; fails the test otherwise.</summary>
    public async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (_process.HasExited)
            {
                // The output may still be on its way: read it to its end before the last look.
                await _process.WaitForExitAsync();
                if (condition())
                {
                    return;
                }

                Assert.Fail($"disttrain exited ({_process.ExitCode}) before {what}.\n{Output}");
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Waited in vain for {what}.\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    private void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            builder.AppendLine(line);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }
}
