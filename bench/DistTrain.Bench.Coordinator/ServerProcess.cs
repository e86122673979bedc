using System.Diagnostics;

namespace DistTrain.Bench.Coordinator;

/// <summary>
/// This benchmark started again with <c>--serve</c>: a coordinator in its own process, as in a real
/// job, so the server's CPU time can be told apart from the clients'. Disposing ends it.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, string address)
    {
        _process = process;
        Address = address;
    }

    public string Address { get; }

    /// <summary>Starts a coordinator whose rounds close at <paramref name="nodes"/> nodes, with heartbeats every <paramref name="heartbeatSeconds"/>.</summary>
    public static async Task<ServerProcess> StartAsync(int nodes, double heartbeatSeconds = 5)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(start.FileName) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ServerProcess).Assembly.Location);
        }

        start.ArgumentList.Add("--serve");
        start.ArgumentList.Add("--nodes");
        start.ArgumentList.Add(nodes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.ArgumentList.Add("--heartbeat-interval");
        start.ArgumentList.Add(heartbeatSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the server process.");
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30))
            ?? throw new InvalidOperationException("The server process exited before listening.");
        return new ServerProcess(process, line.Trim());
    }

    /// <summary>The CPU time the server process has used so far.</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>The server process's resident memory now, in bytes.</summary>
    public long WorkingSetBytes()
    {
        _process.Refresh();
        return _process.WorkingSet64;
    }

    /// <summary>Serves until standard input closes (the parent benchmark ends or disposes this).</summary>
    public static async Task ServeAsync(int nodes, double heartbeatSeconds)
    {
        await using var server = await Server.StartAsync(nodes, nodes, TimeSpan.FromSeconds(heartbeatSeconds));
        Console.WriteLine(server.Address);
        await Console.In.ReadToEndAsync();
    }

    public void Dispose()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(10_000))
        {
            _process.Kill();
        }

        _process.Dispose();
    }
}
