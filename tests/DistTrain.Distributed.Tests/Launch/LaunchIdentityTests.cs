using System.Reflection;
using DistTrain.Protocol.Launch;

namespace DistTrain.Distributed.Tests.Launch;

/// <summary>The contract's writer and reader agree with each other and with the table of variables.</summary>
public sealed class LaunchIdentityTests
{
    private static readonly LaunchIdentity Worker = new()
    {
        Rank = 5,
        LocalRank = 1,
        WorldSize = 6,
        LocalWorldSize = 2,
        GroupRank = 2,
        GroupWorldSize = 3,
        Coordinator = new Uri("http://head:29400"),
        JobToken = "job-token",
        StoreNamespace = "round-7",
        JobId = "job-1",
        Round = 7,
        NodeId = "node-b",
        RestartCount = 2,
        MaxRestarts = 3,
        CheckpointDir = "/shared/checkpoints",
        AgentPid = 4242,
        ErrorFile = "/logs/job-1/attempt_0/rank_5/error.json",
    };

    private static LaunchIdentity Read(IReadOnlyDictionary<string, string> variables) => LaunchIdentityReader.Read(variables.GetValueOrDefault);

    [Fact]
    public void What_the_writer_writes_the_reader_reads_back()
    {
        Assert.Equal(Worker, Read(LaunchIdentityWriter.Write(Worker)));
    }

    [Fact]
    public void The_writer_sets_exactly_the_variables_the_table_says_the_launcher_sets()
    {
        var launcherSet = LaunchVariables.All.Where(v => v.SetBy == VariableSource.Launcher).Select(v => v.Name);

        Assert.Equal(launcherSet.Order(), LaunchIdentityWriter.Write(Worker).Keys.Order());
    }

    [Fact]
    public void Without_a_checkpoint_directory_its_variable_is_left_out_and_reads_back_as_none()
    {
        var variables = LaunchIdentityWriter.Write(Worker with { CheckpointDir = null });

        Assert.DoesNotContain(LaunchVariables.CheckpointDir.Name, variables.Keys);
        Assert.Null(Read(variables).CheckpointDir);
    }

    [Fact]
    public void Without_an_agent_its_pid_is_left_out_and_reads_back_as_none()
    {
        var variables = LaunchIdentityWriter.Write(Worker with { AgentPid = null });

        Assert.DoesNotContain(LaunchVariables.AgentPid.Name, variables.Keys);
        Assert.Null(Read(variables).AgentPid);
    }

    [Fact]
    public void Without_an_error_file_its_variable_is_left_out_and_reads_back_as_none()
    {
        var variables = LaunchIdentityWriter.Write(Worker with { ErrorFile = null });

        Assert.DoesNotContain(LaunchVariables.ErrorFile.Name, variables.Keys);
        Assert.Null(Read(variables).ErrorFile);
    }

    [Fact]
    public void Torchruns_names_repeat_DistTrains()
    {
        var e = LaunchIdentityWriter.Write(Worker);

        Assert.Equal((e["RANK"], e["WORLD_SIZE"]), (e["ROLE_RANK"], e["ROLE_WORLD_SIZE"]));
        Assert.Equal(("2", "3", "job-1"), (e["TORCHELASTIC_RESTART_COUNT"], e["TORCHELASTIC_MAX_RESTARTS"], e["TORCHELASTIC_RUN_ID"]));
    }

    [Theory]
    [InlineData("http://head:29400", "head", "29400", "http://head:29400")]
    [InlineData("http://10.0.0.1:29400/", "10.0.0.1", "29400", "http://10.0.0.1:29400")]
    [InlineData("http://[fd00::1]:29500", "fd00::1", "29500", "http://[fd00::1]:29500")]
    public void MASTER_ADDR_and_MASTER_PORT_are_the_coordinators_host_and_port(string coordinator, string host, string port, string written)
    {
        var e = LaunchIdentityWriter.Write(Worker with { Coordinator = new Uri(coordinator) });

        Assert.Equal((host, port, written), (e["MASTER_ADDR"], e["MASTER_PORT"], e["DISTTRAIN_COORDINATOR"]));
    }

    [Fact]
    public void Without_a_job_id_no_job_id_is_written()
    {
        var e = LaunchIdentityWriter.Write(Worker with { JobId = null });

        Assert.False(e.ContainsKey("DISTTRAIN_JOB_ID") || e.ContainsKey("TORCHELASTIC_RUN_ID"));
        Assert.Null(Read(e).JobId);
    }

    [Fact]
    public void Only_the_required_variables_read_as_the_tables_defaults()
    {
        var required = LaunchVariables.All.Where(v => v.Use == RuntimeUse.Required).Select(v => v.Name).ToHashSet();
        var variables = LaunchIdentityWriter.Write(Worker).Where(p => required.Contains(p.Key)).ToDictionary();
        var identity = Read(variables);
        var environment = LaunchEnvironment.From(variables.GetValueOrDefault);

        // What was read, written as the table writes defaults.
        var read = new Dictionary<LaunchVariable, string>
        {
            [LaunchVariables.LocalRank] = identity.LocalRank == identity.Rank ? "`RANK`" : $"`{identity.LocalRank}`",
            [LaunchVariables.LocalWorldSize] = identity.LocalWorldSize == identity.WorldSize ? "`WORLD_SIZE`" : $"`{identity.LocalWorldSize}`",
            [LaunchVariables.GroupRank] = $"`{identity.GroupRank}`",
            [LaunchVariables.GroupWorldSize] = $"`{identity.GroupWorldSize}`",
            [LaunchVariables.Round] = $"`{identity.Round}`",
            [LaunchVariables.RestartCount] = $"`{identity.RestartCount}`",
            [LaunchVariables.MaxRestarts] = $"`{identity.MaxRestarts}`",
            [LaunchVariables.LocalAllReduce] = environment.LocalAllReduce ? "`1`" : "`0`",
        };
        Assert.All(read, p => Assert.Equal(p.Key.Default, p.Value));
        Assert.Null(identity.JobId);
    }

    [Fact]
    public void A_group_rank_beyond_the_group_world_size_is_named_with_both()
    {
        var variables = new Dictionary<string, string>(LaunchIdentityWriter.Write(Worker)) { ["GROUP_RANK"] = "3" };

        var e = Assert.Throws<LaunchVariableException>(() => Read(variables));
        Assert.Equal("GROUP_RANK", e.Variable);
        Assert.StartsWith("GROUP_RANK (3) must be less than GROUP_WORLD_SIZE (3)", e.Message);
    }

    [Theory]
    [InlineData("DISTTRAIN_ROUND", "-1", "DISTTRAIN_ROUND is '-1', which is not an integer ≥ 0")]
    [InlineData("GROUP_WORLD_SIZE", "0", "GROUP_WORLD_SIZE is '0', which is not an integer ≥ 1")]
    [InlineData("DISTTRAIN_MAX_RESTARTS", "many", "DISTTRAIN_MAX_RESTARTS is 'many', which is not an integer ≥ 0")]
    public void An_invalid_round_or_count_is_named_with_the_value_and_the_rule(string variable, string value, string message)
    {
        var variables = new Dictionary<string, string>(LaunchIdentityWriter.Write(Worker)) { [variable] = value };

        var e = Assert.Throws<LaunchVariableException>(() => Read(variables));
        Assert.Equal(variable, e.Variable);
        Assert.Contains(message, e.Message);
        Assert.Contains("disttrain run", e.Message);
    }

    [Fact]
    public void The_table_lists_every_variable_the_contract_declares_once()
    {
        var declared = typeof(LaunchVariables).GetProperties(BindingFlags.Public | BindingFlags.Static)
            .Where(p => p.PropertyType == typeof(LaunchVariable))
            .Select(p => ((LaunchVariable)p.GetValue(null)!).Name);

        Assert.Equal(declared.Order(), LaunchVariables.All.Select(v => v.Name).Order());
    }

    [Fact]
    public void Only_optional_variables_have_a_default()
    {
        Assert.All(LaunchVariables.All.Where(v => v.Use != RuntimeUse.Optional), v => Assert.Null(v.Default));
    }
}
