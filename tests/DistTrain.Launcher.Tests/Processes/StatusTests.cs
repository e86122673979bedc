using DistTrain.Coordinator;
using DistTrain.Launcher.Tests.Support;
using DistTrain.Protocol;

namespace DistTrain.Launcher.Tests.Processes;

public sealed class StatusTests
{
    [Fact]
    public async Task Status_shows_the_round_its_nodes_and_ranks_and_which_node_stopped_heartbeating()
    {
        const string token = "status-token";
        await using var server = await CoordinatorServer.StartAsync(o =>
        {
            o.Port = 0;
            o.Token = token;
            o.Rendezvous.MinNodes = 2;
            o.Rendezvous.MaxNodes = 2;
            o.Heartbeat.Interval = TimeSpan.FromSeconds(2);
            o.Heartbeat.MissesBeforeDead = 600; // node-b stays silent without being declared dead
        });
        using var client = new CoordinatorClient(server.Address.ToString(), token);
        var joins = await Task.WhenAll(client.JoinAsync("node-a", localWorldSize: 3, host: "10.0.0.9"), client.JoinAsync("node-b", localWorldSize: 1, host: "10.0.0.10"));

        // node-a heartbeats throughout, as its agent would; node-b never does, and is late after two intervals.
        using var stop = new CancellationTokenSource();
        var heartbeats = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await client.HeartbeatAsync("node-a", joins[0].Round);
                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }
        });
        await Task.Delay(TimeSpan.FromSeconds(5));
        using var run = await LauncherProcess.RunAsync(
            ["status", "--rdzv-endpoint", $"127.0.0.1:{server.Address.Port}"], TimeSpan.FromSeconds(60), new Dictionary<string, string?> { ["DISTTRAIN_TOKEN"] = token });
        await stop.CancelAsync();
        await heartbeats;

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("round 1 running, 2 node(s), world size 4", run.Stdout);
        var lines = run.Stdout.Split('\n');
        var a = Assert.Single(lines, l => l.Contains("node-a", StringComparison.Ordinal));
        var b = Assert.Single(lines, l => l.Contains("node-b", StringComparison.Ordinal));
        Assert.Matches(@"  ranks (0-2|1-3)  host 10\.0\.0\.9  ", a);
        Assert.EndsWith("(healthy)", a.TrimEnd());
        Assert.Matches(@"  rank (0|3)  host 10\.0\.0\.10  ", b);
        Assert.Contains("(late: heartbeats every 2 s, dead after 1200 s)", b);
    }

    [Fact]
    public async Task Status_with_a_wrong_token_says_so()
    {
        await using var server = await CoordinatorServer.StartAsync(o =>
        {
            o.Port = 0;
            o.Token = "right-token";
        });

        using var run = await LauncherProcess.RunAsync(
            ["status", "--rdzv-endpoint", $"127.0.0.1:{server.Address.Port}", "--token", "wrong-token"], TimeSpan.FromSeconds(60));

        Assert.Equal(4, run.ExitCode);
        Assert.Contains("Unauthenticated", run.Stderr, StringComparison.OrdinalIgnoreCase);
    }
}
