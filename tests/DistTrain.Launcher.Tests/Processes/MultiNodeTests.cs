using DistTrain.Tests.Shared;
using DistTrain.Launcher.Tests.Support;

namespace DistTrain.Launcher.Tests.Processes;

/// <summary>Several agents on one machine acting as nodes of one job.</summary>
public sealed class MultiNodeTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(180);

    [Fact]
    public async Task Two_agents_on_one_machine_with_nnodes_2_form_one_job()
    {
        using var dir = new TempDirectory();
        var endpoint = $"127.0.0.1:{TestPorts.Free()}";
        var token = new Dictionary<string, string?> { ["DISTTRAIN_TOKEN"] = "two-agents-token" };
        string[] Args(int rank) =>
            ["run", "--nnodes", "2", "--node-rank", $"{rank}", "--rdzv-endpoint", endpoint, "--nproc-per-node", "2", "--rdzv-id", "pair", "--", LauncherProcess.Worker, "record", dir.Path, "0", "0"];

        using var first = LauncherProcess.Start(Args(0), token);
        using var second = LauncherProcess.Start(Args(1), token);
        var codes = await Task.WhenAll(first.WaitAsync(Generous), second.WaitAsync(Generous));

        Assert.True(codes.All(c => c == 0), first.Output + "\n" + second.Output);
        for (var rank = 0; rank < 4; rank++)
        {
            var env = Probe.ReadEnvironment(Path.Combine(dir.Path, $"env-round1-rank{rank}"));
            Assert.Equal("4", env["WORLD_SIZE"]);
            Assert.Equal("2", env["LOCAL_WORLD_SIZE"]);
            Assert.Equal($"{rank % 2}", env["LOCAL_RANK"]);
            Assert.Equal($"{rank / 2}", env["GROUP_RANK"]);
            Assert.Equal("2", env["GROUP_WORLD_SIZE"]);
            Assert.Equal("pair", env["DISTTRAIN_JOB_ID"]);
            Assert.Equal("round-1", env["DISTTRAIN_STORE_NAMESPACE"]);
            Assert.Equal($"http://{endpoint}", env["DISTTRAIN_COORDINATOR"]);
            Assert.False(env.ContainsKey("DISTTRAIN_TOKEN"));
            Assert.Equal("two-agents-token", env["DISTTRAIN_JOB_TOKEN"]);
        }

        // Exactly one of the two hosted the coordinator.
        var hosting = new[] { first, second }.Count(a => a.Stderr.Contains("hosting the coordinator", StringComparison.Ordinal));
        Assert.Equal(1, hosting);
    }

    [Fact]
    public async Task A_failure_on_one_node_restarts_the_workers_of_both_nodes_in_a_new_round()
    {
        var endpoint = $"127.0.0.1:{TestPorts.Free()}";
        var token = new Dictionary<string, string?> { ["DISTTRAIN_TOKEN"] = "failover-token" };
        string[] Args(int rank) =>
            ["run", "--nnodes", "2", "--node-rank", $"{rank}", "--rdzv-endpoint", endpoint, "--nproc-per-node", "2", "--max-restarts", "1", "--grace-period", "5",
             "--", LauncherProcess.Worker, "fail-round-1", "2"];

        using var first = LauncherProcess.Start(Args(0), token);
        using var second = LauncherProcess.Start(Args(1), token);
        var codes = await Task.WhenAll(first.WaitAsync(Generous), second.WaitAsync(Generous));

        Assert.True(codes.All(c => c == 0), first.Output + "\n" + second.Output);

        // Node 1 saw its rank fail and counted a restart; node 0 saw the membership change, which is not counted.
        Assert.Contains("rank 2 failed (exit code 3)", second.Stderr);
        Assert.Contains("[rank2]: rank 2 done in round 2 restart 1", second.Stdout);
        Assert.Contains("membership changed", first.Stderr);
        Assert.Contains("[rank0]: rank 0 done in round 2 restart 0", first.Stdout);
        Assert.Contains("[rank1]: rank 1 done in round 2 restart 0", first.Stdout);
    }

    [Fact]
    public async Task Nnodes_1_to_2_starts_with_one_node_and_admits_the_second_at_the_next_round()
    {
        using var dir = new TempDirectory();
        var endpoint = $"127.0.0.1:{TestPorts.Free()}";
        var token = new Dictionary<string, string?> { ["DISTTRAIN_TOKEN"] = "elastic-token" };
        string[] Args(string id) =>
            ["run", "--nnodes", "1:2", "--rdzv-endpoint", endpoint, "--node-id", id, "--last-call-timeout", "1", "--grace-period", "5",
             "--", LauncherProcess.Worker, "record", dir.Path, "60", "0"];

        using var first = LauncherProcess.Start(Args("a-first"), token);
        await first.WaitForAsync(() => File.Exists(Path.Combine(dir.Path, "env-round1-rank0")), Generous, "round 1 with the first node alone");
        var alone = Probe.ReadEnvironment(Path.Combine(dir.Path, "env-round1-rank0"));
        Assert.Equal("1", alone["WORLD_SIZE"]);

        using var second = LauncherProcess.Start(Args("b-second"), token);
        var codes = await Task.WhenAll(first.WaitAsync(Generous), second.WaitAsync(Generous));

        Assert.True(codes.All(c => c == 0), first.Output + "\n" + second.Output);
        Assert.Contains("membership changed", first.Stderr);
        var round2 = Directory.GetFiles(dir.Path, "env-round2-rank*").Select(Probe.ReadEnvironment).ToList();
        Assert.Equal(2, round2.Count);
        Assert.All(round2, env => Assert.Equal("2", env["WORLD_SIZE"]));
        Assert.Equal(["0", "1"], round2.Select(e => e["RANK"]).Order().ToArray());

        // A membership change is not a failure: no restart was counted.
        Assert.All(round2, env => Assert.Equal("0", env["DISTTRAIN_RESTART_COUNT"]));
    }
}
