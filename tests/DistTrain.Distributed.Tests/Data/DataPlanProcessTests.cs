using DistTrain.Distributed.Tests.Harness;
using DistTrain.Distributed.TestWorker.Scenarios;

namespace DistTrain.Distributed.Tests.Data;

/// <summary>The data plan with real worker processes: the ranks read an epoch through the coordinator, commit midway and resume; under DDP, an empty last part.</summary>
public sealed class DataPlanProcessTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Ranks_reading_an_epoch_through_the_coordinator_read_every_id_exactly_once(int ranks)
    {
        var result = (await WorkerGroup.RunAsync("data-plan-epoch", ranks)).AssertAllPassed();

        Assert.Equal(Enumerable.Range(0, 103).Select(i => (long)i), Ids(result).Order());
        Assert.All(result.Ranks, r => Assert.Contains("ok: resumed at epoch 0, 40 consumed", r.Lines));
    }

    [Fact]
    public async Task Under_ddp_a_rank_with_an_empty_last_part_runs_that_step_and_the_weights_equal_a_single_process()
    {
        var result = (await WorkerGroup.RunAsync("ddp-data-plan", 3)).AssertAllPassed();

        Assert.Contains("ok: rank 2 ran 4 steps, 1 of them on an empty batch; weights equal the single process's", result.Ranks[2].Lines);
        Assert.Contains("ok: rank 0 ran 4 steps, 0 of them on an empty batch; weights equal the single process's", result.Ranks[0].Lines);
    }

    [Theory]
    [InlineData(3, 2)]
    [InlineData(2, 3)]
    public async Task A_new_world_of_another_size_reads_exactly_the_rest_of_the_epoch_the_coordinator_committed(int before, int after)
    {
        // The data plan lives in one coordinator that outlives both worlds, as the job's does across restarts.
        await using var job = await TestCoordinator.StartAsync(1);
        var environment = new Dictionary<string, string> { [DataPlanPartScenario.CoordinatorVariable] = job.Address.ToString() };

        var first = (await WorkerGroup.RunAsync("data-plan-part", before, new WorkerGroupOptions { Arguments = ["4"], Environment = environment })).AssertAllPassed();
        var second = (await WorkerGroup.RunAsync("data-plan-part", after, new WorkerGroupOptions { Arguments = ["all"], Environment = environment })).AssertAllPassed();

        Assert.All(first.Ranks, r => Assert.Contains("start: epoch 0, 0 consumed", r.Lines));
        Assert.All(second.Ranks, r => Assert.Contains("start: epoch 0, 32 consumed", r.Lines));
        Assert.Equal(32, Ids(first).Count());
        Assert.Equal(Enumerable.Range(0, 103).Select(i => (long)i), Ids(first).Concat(Ids(second)).Order());
    }

    // Every id the ranks printed on their "ids: " line.
    private static IEnumerable<long> Ids(GroupResult result) =>
        result.Ranks.SelectMany(r => r.Lines.Single(l => l.StartsWith("ids: ", StringComparison.Ordinal))["ids: ".Length..]
            .Split(',', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse));
}
