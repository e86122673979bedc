using DistTrain.Tests.Shared;
using DistTrain.Launcher.Tests.Support;

namespace DistTrain.Launcher.Tests.Processes;

public sealed class CoordinatorCommandTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Disttrain_coordinator_serves_agents_that_connect_to_it_and_status_reports_the_job()
    {
        using var dir = new TempDirectory();
        var port = TestPorts.Free();
        var token = new Dictionary<string, string?> { ["DISTTRAIN_TOKEN"] = "standalone-coordinator" };
        using var coordinator = LauncherProcess.Start(["coordinator", "--port", $"{port}", "--nnodes", "1"], token);
        await coordinator.WaitForAsync(() => coordinator.Stdout.Contains("Coordinator listening", StringComparison.Ordinal), Generous, "the coordinator to listen");

        using var idle = await LauncherProcess.RunAsync(["status", "--rdzv-endpoint", $"127.0.0.1:{port}"], Generous, token);
        Assert.True(idle.ExitCode == 0, idle.Output);
        Assert.Contains("gathering nodes, 0 joined", idle.Stdout);

        using var agent = await LauncherProcess.RunAsync(
            ["run", "--rdzv-endpoint", $"127.0.0.1:{port}", "--coordinator", "connect", "--nproc-per-node", "2", "--", LauncherProcess.Worker, "ok"], Generous, token);

        Assert.True(agent.ExitCode == 0, agent.Output);
        Assert.DoesNotContain("hosting the coordinator", agent.Stderr);
        Assert.Contains("[rank1]: rank=1 local=1 world=2 round=1", agent.Stdout);
    }

    [Fact]
    public async Task The_progress_line_shows_round_ranks_and_restarts_when_asked_for()
    {
        using var dir = new TempDirectory();
        using var run = await LauncherProcess.RunAsync(
            ["run", "--standalone", "--nproc-per-node", "2", "--progress", "on", "--monitor-interval", "0.1", "--rdzv-id", "prog", "--", LauncherProcess.Worker, "record", dir.Path, "1", "0"], Generous);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("\u001b[2Kdisttrain ▸ job prog · round 1 · 1 node(s) · ranks alive here 2/2 of 2 · restarts 0/0", run.Stdout);
    }
}
