using DistTrain.Distributed.Tests.Harness;

namespace DistTrain.Distributed.Tests.Data;

/// <summary>The data plan with real worker processes and the coordinator: the ranks read an epoch, commit midway, resume from the coordinator.</summary>
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
}
