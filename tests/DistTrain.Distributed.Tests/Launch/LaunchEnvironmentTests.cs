namespace DistTrain.Distributed.Tests.Launch;

/// <summary>Reading the launcher's environment: every missing or invalid variable is named with what to do; a coordinator is required.</summary>
public sealed class LaunchEnvironmentTests
{
    private static readonly Dictionary<string, string> Launcher = new()
    {
        ["RANK"] = "1",
        ["LOCAL_RANK"] = "1",
        ["WORLD_SIZE"] = "4",
        ["LOCAL_WORLD_SIZE"] = "2",
        ["GROUP_RANK"] = "0",
        ["MASTER_ADDR"] = "10.0.0.1",
        ["MASTER_PORT"] = "29500",
        ["DISTTRAIN_COORDINATOR"] = "10.0.0.2:29400",
        ["DISTTRAIN_JOB_TOKEN"] = "secret-token",
        ["DISTTRAIN_STORE_NAMESPACE"] = "round-3",
    };

    private static LaunchEnvironment Read(Dictionary<string, string> variables) => LaunchEnvironment.From(k => variables.GetValueOrDefault(k));

    private static Dictionary<string, string> With(params (string Key, string? Value)[] changes)
    {
        var variables = new Dictionary<string, string>(Launcher);
        foreach (var (key, value) in changes)
        {
            if (value is null) variables.Remove(key);
            else variables[key] = value;
        }

        return variables;
    }

    [Fact]
    public void The_launchers_variables_are_read()
    {
        var env = Read(With(("DISTTRAIN_RESTART_COUNT", "2"), ("GLOO_SOCKET_IFNAME", "eth1"), ("OMP_NUM_THREADS", "3")));
        Assert.Equal((1, 1, 4, 2, 0), (env.Rank, env.LocalRank, env.WorldSize, env.LocalWorldSize, env.GroupRank));
        Assert.Equal(new Uri("http://10.0.0.2:29400"), env.Coordinator);
        Assert.Equal(("secret-token", "round-3", 2), (env.JobToken, env.StoreNamespace, env.RestartCount));
        Assert.Equal(("10.0.0.1", 29500), (env.MasterAddr, env.MasterPort!.Value));
        Assert.Equal(("eth1", 3), (env.GlooSocketInterface, env.OmpNumThreads!.Value));
    }

    [Fact]
    public void Without_a_restart_count_the_worker_is_on_its_first_start()
    {
        Assert.Equal(0, Read(Launcher).RestartCount);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("1", true)]
    [InlineData("0", false)]
    public void The_shared_memory_all_reduce_is_on_unless_DISTTRAIN_LOCAL_ALLREDUCE_is_0(string? value, bool expected)
    {
        Assert.Equal(expected, Read(With(("DISTTRAIN_LOCAL_ALLREDUCE", value))).LocalAllReduce);
    }

    [Theory]
    [InlineData("RANK")]
    [InlineData("WORLD_SIZE")]
    public void A_missing_required_variable_is_named_with_what_to_do(string variable)
    {
        var e = Assert.Throws<LaunchEnvironmentException>(() => Read(With((variable, null))));
        Assert.Equal(variable, e.Variable);
        Assert.StartsWith($"{variable} is not set", e.Message);
        Assert.Contains("disttrain run", e.Message);
    }

    [Theory]
    [InlineData("RANK", "one", "is 'one', which is not an integer")]
    [InlineData("RANK", "4", "RANK (4) must be less than WORLD_SIZE (4)")]
    [InlineData("WORLD_SIZE", "0", "WORLD_SIZE is '0', which is not an integer ≥ 1")]
    [InlineData("LOCAL_RANK", "2", "LOCAL_RANK (2) must be less than LOCAL_WORLD_SIZE (2)")]
    [InlineData("MASTER_PORT", "70000", "MASTER_PORT is '70000', which is not an integer from 1 to 65535")]
    [InlineData("DISTTRAIN_COORDINATOR", "ftp://x", "DISTTRAIN_COORDINATOR is 'ftp://x'")]
    [InlineData("DISTTRAIN_LOCAL_ALLREDUCE", "yes", "DISTTRAIN_LOCAL_ALLREDUCE is 'yes', which is not an integer from 0 to 1")]
    public void An_invalid_value_is_named_with_the_value_and_the_rule(string variable, string value, string message)
    {
        var e = Assert.Throws<LaunchEnvironmentException>(() => Read(With((variable, value))));
        Assert.Equal(variable, e.Variable);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Torchruns_master_addr_without_a_coordinator_is_refused_saying_a_tcpstore_is_not_supported()
    {
        var e = Assert.Throws<LaunchEnvironmentException>(() =>
            Read(With(("DISTTRAIN_COORDINATOR", null), ("DISTTRAIN_JOB_TOKEN", null), ("DISTTRAIN_STORE_NAMESPACE", null))));
        Assert.Equal("DISTTRAIN_COORDINATOR", e.Variable);
        Assert.StartsWith("DISTTRAIN_COORDINATOR is not set: DistTrain's workers create their process groups through the coordinator's store", e.Message);
        Assert.Contains("a torchrun-style TCPStore on MASTER_ADDR (10.0.0.1):MASTER_PORT is not supported", e.Message);
        Assert.Contains("disttrain run", e.Message);
    }

    [Fact]
    public void Without_coordinator_or_master_addr_the_error_names_the_coordinator_and_what_to_do()
    {
        var e = Assert.Throws<LaunchEnvironmentException>(() => Read(With(("MASTER_ADDR", null), ("MASTER_PORT", null), ("DISTTRAIN_COORDINATOR", null))));
        Assert.Equal("DISTTRAIN_COORDINATOR", e.Variable);
        Assert.Contains("TCPStore on MASTER_ADDR:MASTER_PORT is not supported", e.Message);
        Assert.Contains("start the program with `disttrain run`", e.Message);
    }

    [Theory]
    [InlineData("DISTTRAIN_JOB_TOKEN")]
    [InlineData("DISTTRAIN_STORE_NAMESPACE")]
    public void A_coordinator_without_token_or_namespace_is_an_error_naming_it(string missing)
    {
        var e = Assert.Throws<LaunchEnvironmentException>(() => Read(With((missing, null))));
        Assert.Equal(missing, e.Variable);
        Assert.StartsWith($"{missing} is not set but DISTTRAIN_COORDINATOR is", e.Message);
    }

    [Fact]
    public void Local_rank_and_local_world_size_default_to_the_global_ones_on_one_node()
    {
        var env = Read(With(("LOCAL_RANK", null), ("LOCAL_WORLD_SIZE", null)));
        Assert.Equal((1, 4), (env.LocalRank, env.LocalWorldSize));
    }

    [Fact]
    public void A_context_is_not_built_from_an_environment_without_a_coordinator()
    {
        var torchrun = new LaunchEnvironment { Rank = 0, LocalRank = 0, WorldSize = 2, LocalWorldSize = 2, MasterAddr = "127.0.0.1", MasterPort = 29500 };
        var e = Assert.Throws<LaunchEnvironmentException>(() => DistributedContext.Initialize(torchrun));
        Assert.Equal("DISTTRAIN_COORDINATOR", e.Variable);
        Assert.Contains("disttrain run", e.Message);
        Assert.Null(DistributedContext.Current);
    }
}
