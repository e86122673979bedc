namespace DistTrain.Launcher.Terminal;

/// <summary>
/// The agent's console: workers' lines prefixed with their rank, the agent's own messages, and, when
/// enabled, one live progress line kept at the bottom (redrawn after every line). Thread-safe.
/// </summary>
public sealed class ConsoleView
{
    private readonly Lock _lock = new();
    private readonly TextWriter _out;
    private readonly TextWriter _error;
    private string _status = "";

    /// <summary>Creates a view over <paramref name="output"/> and <paramref name="error"/>.</summary>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <param name="showProgress">Whether the live progress line is drawn (only sensible on a terminal).</param>
    public ConsoleView(TextWriter output, TextWriter error, bool showProgress)
    {
        _out = output;
        _error = error;
        ShowProgress = showProgress;
    }

    /// <summary>Whether the live progress line is drawn.</summary>
    public bool ShowProgress { get; }

    /// <summary>Writes one line of a worker's output, prefixed with its rank.</summary>
    public void WorkerLine(int rank, bool isError, string line) => Write(isError ? _error : _out, $"[rank{rank}]: {line}");

    /// <summary>Writes one of the agent's own messages (to standard error, so a program's output stays clean).</summary>
    public void Agent(string message) => Write(_error, $"[disttrain] {message}");

    /// <summary>Writes text as it is (the final summary) to standard error.</summary>
    public void Plain(string text) => Write(_error, text.TrimEnd('\n'));

    /// <summary>Replaces the progress line (ignored when progress is off).</summary>
    public void Status(string status)
    {
        if (!ShowProgress)
        {
            return;
        }

        lock (_lock)
        {
            _status = status;
            _out.Write($"\r\u001b[2K{_status}");
            _out.Flush();
        }
    }

    /// <summary>Removes the progress line for good.</summary>
    public void ClearStatus()
    {
        if (!ShowProgress)
        {
            return;
        }

        lock (_lock)
        {
            _status = "";
            _out.Write("\r\u001b[2K");
            _out.Flush();
        }
    }

    private void Write(TextWriter writer, string line)
    {
        lock (_lock)
        {
            if (ShowProgress && _status.Length > 0)
            {
                _out.Write("\r\u001b[2K");
                _out.Flush();
            }

            writer.WriteLine(line);
            writer.Flush();
            if (ShowProgress && _status.Length > 0)
            {
                _out.Write(_status);
                _out.Flush();
            }
        }
    }
}
