using DistTrain.Distributed.Tests.Harness;
using DistTrain.Protocol.Launch;

namespace DistTrain.Distributed.Tests.Launch;

/// <summary>A real worker process started without the launcher's environment stops with a message that says what to do.</summary>
public sealed class WorkerEnvironmentTests
{
    [Fact]
    public async Task A_worker_started_without_RANK_exits_with_an_error_naming_RANK_and_disttrain_run()
    {
        var result = await WorkerGroup.RunAsync("all-reduce", 1, new WorkerGroupOptions
        {
            Environment = new Dictionary<string, string> { [LaunchVariables.Rank.Name] = "" },
        });
        var rank = Assert.Single(result.Ranks);
        Assert.Equal(1, rank.ExitCode);
        Assert.StartsWith("FAILED all-reduce: LaunchEnvironmentException: RANK is not set: start the program with `disttrain run`", rank.StandardOutputLines[0]);
    }

    [Fact]
    public async Task A_worker_started_like_torchrun_with_only_MASTER_ADDR_exits_saying_it_needs_the_coordinator()
    {
        var result = await WorkerGroup.RunAsync("all-reduce", 2, new WorkerGroupOptions
        {
            Environment = new Dictionary<string, string>
            {
                [LaunchVariables.Coordinator.Name] = "", [LaunchVariables.JobToken.Name] = "", [LaunchVariables.StoreNamespace.Name] = "",
            },
        });
        Assert.All(result.Ranks, r =>
        {
            Assert.Equal(1, r.ExitCode);
            Assert.StartsWith("FAILED all-reduce: LaunchEnvironmentException: DISTTRAIN_COORDINATOR is not set", r.StandardOutputLines[0]);
            Assert.Contains("MASTER_ADDR (127.0.0.1):MASTER_PORT is not supported", r.StandardOutputLines[0]);
        });
    }
}
