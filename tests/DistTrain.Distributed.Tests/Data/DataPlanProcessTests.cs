using DistTrain.Distributed.Tests.Harness;

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

        var ids = result.Ranks.SelectMany(r => r.Lines.Single(l => l.StartsWith("ids: ", StringComparison.Ordinal))["ids: ".Length..].Split(',').Select(long.Parse));
        Assert.Equal(Enumerable.Range(0, 103).Select(i => (long)i), ids.Order());
        Assert.All(result.Ranks, r => Assert.Contains("ok: resumed at epoch 0, 40 consumed", r.Lines));
    }

    [Fact]
    public async Task Under_ddp_a_rank_with_an_empty_last_part_runs_that_step_and_the_weights_equal_a_single_process()
    {
        var result = (await WorkerGroup.RunAsync("ddp-data-plan", 3)).AssertAllPassed();

        Assert.Contains("ok: rank 2 ran 4 steps, 1 of them on an empty batch; weights equal the single process's", result.Ranks[2].Lines);
        Assert.Contains("ok: rank 0 ran 4 steps, 0 of them on an empty batch; weights equal the single process's", result.Ranks[0].Lines);
    }
}
