using System.Diagnostics;
using System.Text;
using DistTrain.Launcher.Terminal;

namespace DistTrain.Launcher.Workers;

/// <summary>
/// One worker: the user's program started in a process group of its own (through <c>setsid</c>), so a
/// signal reaches everything it started; its output shown prefixed with its rank and, with a log
/// directory, kept in <c>stdout.log</c> and <c>stderr.log</c>.
/// </summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StreamWriter? _stdoutLog;
    private readonly StreamWriter? _stderrLog;
    private readonly bool _ownGroup;
    private readonly Lock _logGate = new();
    private bool _disposed;

    private WorkerProcess(Process process, WorkerLaunch launch, bool ownGroup, StreamWriter? stdoutLog, StreamWriter? stderrLog)
    {
        _process = process;
        Rank = launch.Rank;
        LocalRank = launch.LocalRank;
        _ownGroup = ownGroup;
        LogDirectory = launch.LogDirectory;
        ErrorFile = launch.ErrorFile;
        _stdoutLog = stdoutLog;
        _stderrLog = stderrLog;
    }

    /// <summary>The worker's global rank.</summary>
    public int Rank { get; }

    /// <summary>The worker's local rank.</summary>
    public int LocalRank { get; }

    /// <summary>Its process id (also its process group id).</summary>
    public int Pid => _process.Id;

    /// <summary>Where its output is kept, or null.</summary>
    public string? LogDirectory { get; }

    /// <summary>Where it writes its last words, or null.</summary>
    public string? ErrorFile { get; }

    /// <summary>Completes when the process has exited.</summary>
    public Task Exited => _exited.Task;

    /// <summary>Whether it has exited.</summary>
    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>When it exited (UTC), or null.</summary>
    public DateTimeOffset? ExitTime { get; private set; }

    /// <summary>Its exit code once exited; 128 + N when signal N ended it.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Whether the agent stopped it (so its exit is not a failure of its own).</summary>
    public bool StoppedByAgent { get; private set; }

    /// <summary>Starts a worker; an error file left from an earlier process of the same path is removed first.</summary>
    /// <param name="program">What to run.</param>
    /// <param name="launch">Its rank (for the prefix and messages), local rank, whole environment, log directory and error file.</param>
    /// <param name="view">Where its output is shown.</param>
    /// <param name="tee">Streams shown on the console: 1 stdout, 2 stderr, 3 both, 0 none.</param>
    /// <exception cref="System.ComponentModel.Win32Exception">The program could not be started.</exception>
    public static WorkerProcess Start(WorkerProgram program, WorkerLaunch launch, ConsoleView view, int tee)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(launch);
        ArgumentNullException.ThrowIfNull(view);
        var environment = launch.Environment;
        var logDirectory = launch.LogDirectory;
        if (launch.ErrorFile is { } errorFile && File.Exists(errorFile))
        {
            File.Delete(errorFile);
        }

        var setsid = File.Exists("/usr/bin/setsid") ? "/usr/bin/setsid" : File.Exists("/bin/setsid") ? "/bin/setsid" : null;
        var start = new ProcessStartInfo(setsid ?? program.FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (setsid is not null)
        {
            // A child of the agent is not a process group leader, so setsid execs the program in place:
            // same pid, now leading a new session and process group.
            start.ArgumentList.Add(program.FileName);
        }

        foreach (var argument in program.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        StreamWriter? stdoutLog = null, stderrLog = null;
        if (logDirectory is not null)
        {
            Directory.CreateDirectory(logDirectory);
            stdoutLog = new StreamWriter(Path.Combine(logDirectory, "stdout.log"), append: false) { AutoFlush = true };
            stderrLog = new StreamWriter(Path.Combine(logDirectory, "stderr.log"), append: false) { AutoFlush = true };
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var worker = new WorkerProcess(process, launch, setsid is not null, stdoutLog, stderrLog);
        process.OutputDataReceived += (_, e) => worker.OnLine(e.Data, isError: false, show: (tee & 1) != 0, view);
        process.ErrorDataReceived += (_, e) => worker.OnLine(e.Data, isError: true, show: (tee & 2) != 0, view);
        process.Exited += (_, _) =>
        {
            worker.ExitTime = DateTimeOffset.UtcNow;
            worker._exited.TrySetResult();
        };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>Sends <paramref name="signal"/> to the worker's whole process group (or to the worker alone without <c>setsid</c>).</summary>
    public void Signal(int signal, bool byAgentStop = false)
    {
        if (byAgentStop && !HasExited)
        {
            StoppedByAgent = true;
        }

        if (_ownGroup)
        {
            // The group may outlive its leader (a child it started in the background).
            Signals.Kill(-Pid, signal);
        }
        else if (!HasExited)
        {
            Signals.Kill(Pid, signal);
        }
    }

    /// <summary>Waits until the output the worker wrote has been read to its end (bounded, as a background child may hold the pipe).</summary>
    public Task DrainAsync(TimeSpan timeout) => _process.WaitForExitAsync(new CancellationTokenSource(timeout).Token).ContinueWith(_ => { }, TaskScheduler.Default);

    private void OnLine(string? line, bool isError, bool show, ConsoleView view)
    {
        if (line is null)
        {
            return;
        }

        lock (_logGate)
        {
            if (!_disposed)
            {
                (isError ? _stderrLog : _stdoutLog)?.WriteLine(line);
            }
        }

        if (show)
        {
            view.WorkerLine(Rank, isError, line);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _process.Dispose();
        lock (_logGate)
        {
            _disposed = true;
            _stdoutLog?.Dispose();
            _stderrLog?.Dispose();
        }
    }
}
