using DistTrain.Distributed.Tests.Harness;

namespace DistTrain.Distributed.Tests.Launch;

/// <summary>A real worker process started without the launcher's environment stops with a message that says what to do.</summary>
public sealed class WorkerEnvironmentTests
{
    [Fact]
    public async Task A_worker_started_without_RANK_exits_with_an_error_naming_RANK_and_disttrain_run()
    {
        var result = await WorkerGroup.RunAsync("all-reduce", 1, new WorkerGroupOptions
        {
            Store = StoreKind.TcpStore,
            Environment = new Dictionary<string, string> { [EnvironmentVariables.Rank] = "" },
        });
        var rank = Assert.Single(result.Ranks);
        Assert.Equal(1, rank.ExitCode);
        Assert.Contains(rank.Lines, l => l.StartsWith("FAILED all-reduce: LaunchEnvironmentException: RANK is not set: start the program with `disttrain run`", StringComparison.Ordinal));
    }
}
