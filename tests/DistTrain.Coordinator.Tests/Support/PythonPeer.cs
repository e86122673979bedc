using System.Diagnostics;
using System.Text;

namespace DistTrain.Coordinator.Tests.Support;

/// <summary>
/// A script from Interop/ run by Debian's Python, the interpreter that loads python3-grpcio (stubs
/// are generated from protos/ at start with python3-grpc-tools). Disposing stops it, by closing its
/// standard input or else by killing it.
/// </summary>
internal sealed class PythonPeer : IDisposable
{
    public const string Interpreter = "/usr/bin/python3";

    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    private PythonPeer(Process process) => _process = process;

    /// <summary>Starts <paramref name="script"/> with <paramref name="arguments"/>; standard input stays open until disposal.</summary>
    public static PythonPeer Start(string script, params string[] arguments)
    {
        if (!File.Exists(Interpreter))
        {
            throw new InvalidOperationException($"The interop tests need {Interpreter} with python3-grpcio and python3-grpc-tools (scripts/setup.sh installs them).");
        }

        var start = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-u");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Interop", script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Keep the peer on loopback whatever proxy the environment names.
        start.Environment.Remove("http_proxy");
        start.Environment.Remove("https_proxy");
        start.Environment.Remove("grpc_proxy");
        start.Environment["no_proxy"] = "127.0.0.1,localhost";
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Interpreter}.");
        var peer = new PythonPeer(process);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (peer._stderr)
                {
                    peer._stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        return peer;
    }

    /// <summary>What the script wrote to standard error so far.</summary>
    public string StandardError
    {
        get { lock (_stderr) { return _stderr.ToString(); } }
    }

    /// <summary>The next line of standard output; fails with the script's stderr if none comes in 60 s or the script ends.</summary>
    public async Task<string> ReadLineAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            return await _process.StandardOutput.ReadLineAsync(limit.Token)
                ?? throw new InvalidOperationException($"The Python peer ended. Its stderr:\n{StandardError}");
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The Python peer wrote nothing for 60 s. Its stderr:\n{StandardError}");
        }
    }

    /// <summary>Reads "name=value" lines up to the line "done"; fails with the script's stderr if it ends first.</summary>
    public async Task<Dictionary<string, string>> ReadReportAsync()
    {
        var report = new Dictionary<string, string>();
        for (var line = await ReadLineAsync(); line != "done"; line = await ReadLineAsync())
        {
            var parts = line.Split('=', 2);
            report[parts[0]] = parts.Length > 1 ? parts[1] : "";
        }

        return report;
    }

    /// <summary>Closes the script's standard input (a server then stops), and kills it if it has not exited within 3 seconds.</summary>
    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(3000))
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }

        _process.Dispose();
    }
}
