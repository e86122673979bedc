using DistTrain.Launcher.Settings;

namespace DistTrain.Launcher.Tests.Settings;

public sealed class RunSettingsParserTests
{
    private static (RunSettings? Settings, IReadOnlyList<string> Errors) Parse(Dictionary<string, string> flags, Dictionary<string, string>? environment = null, string? program = "prog")
    {
        return RunSettingsParser.Parse(name => flags.GetValueOrDefault(name), environment ?? [], program, []);
    }

    [Fact]
    public void Every_flag_falls_back_to_its_DISTTRAIN_variable()
    {
        var (s, errors) = Parse([], new()
        {
            ["DISTTRAIN_NPROC_PER_NODE"] = "4",
            ["DISTTRAIN_NNODES"] = "2:8",
            ["DISTTRAIN_NODE_RANK"] = "3",
            ["DISTTRAIN_RDZV_ENDPOINT"] = "node0:29500",
            ["DISTTRAIN_RDZV_ID"] = "job7",
            ["DISTTRAIN_MAX_RESTARTS"] = "5",
            ["DISTTRAIN_STUCK_RESTART_AFTER"] = "30",
            ["DISTTRAIN_MONITOR_INTERVAL"] = "2",
            ["DISTTRAIN_LOG_DIR"] = "/tmp/logs",
            ["DISTTRAIN_TEE"] = "1",
            ["DISTTRAIN_TOKEN"] = "secret-token",
            ["DISTTRAIN_NODE_ID"] = "n1",
            ["DISTTRAIN_LOCAL_ADDR"] = "10.0.0.5",
            ["DISTTRAIN_GRACE_PERIOD"] = "3",
            ["DISTTRAIN_RDZV_TIMEOUT"] = "60",
            ["DISTTRAIN_LAST_CALL_TIMEOUT"] = "4",
            ["DISTTRAIN_HEARTBEAT_INTERVAL"] = "1.5",
            ["DISTTRAIN_COORDINATOR_MODE"] = "connect",
            ["DISTTRAIN_PROGRESS"] = "off",
        });

        Assert.Empty(errors);
        Assert.Equal(new NprocSpec(NprocKind.Count, 4), s!.NprocPerNode);
        Assert.Equal((2, 8), (s.Nnodes!.Value.Min, s.Nnodes.Value.Max));
        Assert.Equal(3, s.NodeRank);
        Assert.Equal(new Endpoint("node0", 29500), s.RdzvEndpoint);
        Assert.Equal("job7", s.RdzvId);
        Assert.Equal(5, s.MaxRestarts);
        Assert.Equal(TimeSpan.FromSeconds(30), s.StuckRestartAfter);
        Assert.Equal(TimeSpan.FromSeconds(2), s.MonitorInterval);
        Assert.Equal("/tmp/logs", s.LogDir);
        Assert.Equal(1, s.Tee);
        Assert.Equal("secret-token", s.Token);
        Assert.Equal("n1", s.NodeId);
        Assert.Equal("10.0.0.5", s.LocalAddr);
        Assert.Equal(TimeSpan.FromSeconds(3), s.GracePeriod);
        Assert.Equal(TimeSpan.FromSeconds(60), s.RdzvTimeout);
        Assert.Equal(TimeSpan.FromSeconds(4), s.LastCallTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1.5), s.HeartbeatInterval);
        Assert.Equal(CoordinatorMode.Connect, s.Coordinator);
        Assert.Equal(ProgressMode.Off, s.Progress);
    }

    [Fact]
    public void A_flag_wins_over_its_variable()
    {
        var (s, _) = Parse(new() { ["--nproc-per-node"] = "gpu", ["--standalone"] = "true" }, new() { ["DISTTRAIN_NPROC_PER_NODE"] = "4", ["DISTTRAIN_STANDALONE"] = "0" });

        Assert.Equal(NprocKind.Gpu, s!.NprocPerNode!.Value.Kind);
        Assert.True(s.Standalone);
    }

    [Fact]
    public void Defaults_follow_torchrun()
    {
        var (s, _) = Parse([]);

        Assert.Null(s!.NprocPerNode);
        Assert.Null(s.Nnodes);
        Assert.Equal(0, s.MaxRestarts);
        Assert.Equal(TimeSpan.FromSeconds(60), s.StuckRestartAfter);
        Assert.Equal(3, s.Tee);
        Assert.False(s.Standalone);
        Assert.Equal(CoordinatorMode.Auto, s.Coordinator);
    }

    [Fact]
    public void Errors_show_the_value_its_source_and_the_rule_and_all_are_reported_at_once()
    {
        var (s, errors) = Parse(new() { ["--nnodes"] = "4:2", ["--tee"] = "9" }, new() { ["DISTTRAIN_NPROC_PER_NODE"] = "lots" });

        Assert.Null(s);
        Assert.Contains("--nnodes ('4:2') must have a maximum number of nodes (2) greater than or equal to the minimum (4).", errors);
        Assert.Contains("--tee ('9') must be 0 (no stream), 1 (stdout), 2 (stderr) or 3 (both).", errors);
        Assert.Contains("--nproc-per-node ('lots', from DISTTRAIN_NPROC_PER_NODE) must be a number of workers from 1 to 1024, or gpu, cpu or auto.", errors);
    }

    [Theory]
    [InlineData("node0:29500", "node0", 29500)]
    [InlineData("node0", "node0", 29400)]
    [InlineData("[::1]:1234", "::1", 1234)]
    [InlineData("10.1.2.3:80", "10.1.2.3", 80)]
    public void Endpoints_parse_as_host_and_port(string text, string host, int port) =>
        Assert.Equal(new Endpoint(host, port), ValueRules.Endpoint(text));

    [Theory]
    [InlineData("node0:99999")]
    [InlineData(":29400")]
    [InlineData("node0:abc")]
    public void Bad_endpoints_are_refused(string text) =>
        Assert.Throws<FormatException>(() => ValueRules.Endpoint(text));

    [Fact]
    public void Standalone_with_several_nodes_is_a_contradiction()
    {
        var (_, errors) = Parse(new() { ["--standalone"] = "true", ["--nnodes"] = "2" });

        Assert.Contains(errors, e => e.StartsWith("--standalone runs one node, but --nnodes is 2", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_program_says_where_it_goes()
    {
        var (_, errors) = Parse([], program: null);

        Assert.Contains(errors, e => e.Contains("put it after '--'", StringComparison.Ordinal));
    }
}
