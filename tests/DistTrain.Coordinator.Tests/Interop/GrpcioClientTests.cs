using System.Diagnostics;
using DistTrain.Coordinator.Tests.Support;

namespace DistTrain.Coordinator.Tests.Interop;

/// <summary>A real gRPC client (Debian's python3-grpcio, stubs generated from protos/) calls the coordinator.</summary>
public sealed class GrpcioClientTests
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public async Task Grpcio_client_joins_heartbeats_uses_the_store_and_watches()
    {
        await using var server = await TestServer.StartAsync();

        var lines = await RunAsync(
            Path.Combine(AppContext.BaseDirectory, "Interop", "grpcio_coordinator_client.py"),
            Path.Combine(AppContext.BaseDirectory, "protos"),
            $"127.0.0.1:{server.Server.Address.Port}",
            TestServer.Token);

        Assert.Equal("1,2,py-node,round-1", lines["world"]);
        Assert.Equal("False", lines["rejoin_required"]);
        Assert.Equal("10.0.0.1:29500", lines["get"]);
        Assert.Equal("7", lines["add"]);
        Assert.Equal("DEADLINE_EXCEEDED", lines["missing_get"]);
        Assert.Equal("UNAUTHENTICATED", lines["wrong_token"]);
        Assert.Equal("snapshot,ROUND_STATE_CLOSED", lines["watch_first"]);
    }

    private static async Task<Dictionary<string, string>> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-u");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("http_proxy");
        start.Environment.Remove("https_proxy");
        start.Environment.Remove("grpc_proxy");
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Python}.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Contains("done"), $"The grpcio client did not finish. stdout:\n{string.Join('\n', lines)}\nstderr:\n{await stderr}");
        return lines.Where(l => l.Contains('=')).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
    }
}
