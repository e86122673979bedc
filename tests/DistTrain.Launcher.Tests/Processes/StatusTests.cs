using DistTrain.Coordinator;
using DistTrain.Launcher.Tests.Support;
using DistTrain.Protocol;

namespace DistTrain.Launcher.Tests.Processes;

public sealed class StatusTests
{
    [Fact]
    public async Task Status_shows_the_round_nodes_and_ranks_of_a_running_job()
    {
        const string token = "status-token";
        await using var server = await CoordinatorServer.StartAsync(o =>
        {
            o.Port = 0;
            o.Token = token;
            o.Rendezvous.MinNodes = 1;
            o.Rendezvous.MaxNodes = 1;
        });
        using var client = new CoordinatorClient(server.Address.ToString(), token);
        await client.JoinAsync("node-a", localWorldSize: 3, host: "10.0.0.9");

        using var run = await LauncherProcess.RunAsync(
            ["status", "--rdzv-endpoint", $"127.0.0.1:{server.Address.Port}"], TimeSpan.FromSeconds(60), new Dictionary<string, string?> { ["DISTTRAIN_TOKEN"] = token });

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("round 1 running, 1 node(s), world size 3", run.Stdout);
        Assert.Contains("node 0  node-a  ranks 0-2  host 10.0.0.9", run.Stdout);
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
