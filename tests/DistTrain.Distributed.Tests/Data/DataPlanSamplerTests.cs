using DistTrain.Data;
using DistTrain.Protocol.DataPlan;
using static TorchSharp.torch;

namespace DistTrain.Distributed.Tests.Data;

/// <summary>DataPlanSampler as TorchSharp's DataLoader sampler: batches that are the ranks' parts of each step, a position that advances, resumes in another world.</summary>
public sealed class DataPlanSamplerTests
{
    private static readonly DataPlanSpec Plan = new(seed: 17, size: 53, globalBatch: 9);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void The_ranks_dataloaders_load_every_id_once_in_the_same_number_of_batches(int world)
    {
        var all = new List<long>();
        var batchCounts = new HashSet<int>();
        for (var rank = 0; rank < world; rank++)
        {
            var sampler = new DataPlanSampler(Plan, world, rank);
            using var loader = utils.data.DataLoader(new IndexDataset(Plan.Size), sampler.batch_size, sampler);
            var (loaded, batches) = IndexDataset.Load(loader);
            Assert.Equal(sampler.ToArray(), loaded);
            Assert.Equal(Enumerable.Range(0, (int)sampler.StepCount).Select(step => (int)sampler.LocalSize(step)), batches);
            all.AddRange(loaded);
            batchCounts.Add(batches.Count);
        }

        Assert.Equal(Enumerable.Range(0, 53).Select(i => (long)i), all.Order());
        Assert.Equal([6], batchCounts); // 53 = 5 × 9 + 8: six steps on every rank
    }

    [Fact]
    public void Advancing_after_each_batch_moves_the_position_and_past_the_last_step_starts_the_next_epoch()
    {
        var sampler = new DataPlanSampler(Plan, 2, 0);
        using var loader = utils.data.DataLoader(new IndexDataset(Plan.Size), sampler.batch_size, sampler);
        var epoch0 = new List<long>();
        foreach (var batch in loader)
        {
            epoch0.AddRange(batch["index"].data<long>().ToArray());
            sampler.Advance();
            if (sampler.Position.Epoch == 0) Assert.Equal(0, sampler.Position.Consumed % 9);
        }

        Assert.Equal(new PlanPosition(1, 0), sampler.Position);
        var epoch1 = IndexDataset.Load(loader).Loaded;
        Assert.Equal(epoch0.Count, epoch1.Length);
        Assert.NotEqual(epoch0, epoch1);
        Assert.Equal(new EpochSchedule(Plan, new PlanPosition(1, 0), 2, 0).Ids(), epoch1);
    }

    [Fact]
    public void Resuming_a_three_rank_position_on_two_ranks_loads_exactly_the_rest_of_the_epoch()
    {
        var three = Enumerable.Range(0, 3).Select(rank => new DataPlanSampler(Plan, 3, rank)).ToArray();
        var read = three.SelectMany(s => s.Take(s.batch_size * 2)).ToList(); // two steps on three ranks
        foreach (var sampler in three) sampler.Advance(2);
        var position = three[0].Position;
        Assert.Equal(new PlanPosition(0, 18), position);

        for (var rank = 0; rank < 2; rank++)
        {
            var sampler = new DataPlanSampler(Plan, 2, rank);
            sampler.Resume(position);
            using var loader = utils.data.DataLoader(new IndexDataset(Plan.Size), sampler.batch_size, sampler);
            read.AddRange(IndexDataset.Load(loader).Loaded);
        }

        Assert.Equal(Enumerable.Range(0, 53).Select(i => (long)i), read.Order());
    }

    [Fact]
    public void A_rank_with_no_ids_in_the_last_step_is_told_so_and_its_loader_yields_one_batch_fewer()
    {
        var plan = new DataPlanSpec(seed: 3, size: 11, globalBatch: 3); // last step: 2 ids for 3 ranks
        var last = new DataPlanSampler(plan, 3, 2);
        using var loader = utils.data.DataLoader(new IndexDataset(plan.Size), last.batch_size, last);

        Assert.Equal(4, last.StepCount);
        Assert.Equal(2, last.GlobalSize(3));
        Assert.Equal(0, last.LocalSize(3));
        Assert.Equal(3, IndexDataset.Load(loader).Batches.Count);
    }

    [Fact]
    public void The_evaluation_sampler_scores_every_held_out_id_once_in_order_with_any_batch_size()
    {
        var all = new List<long>();
        for (var rank = 0; rank < 3; rank++)
        {
            using var loader = utils.data.DataLoader(new IndexDataset(20), 4, DataPlanSampler.Evaluation(20, 3, rank));
            all.AddRange(IndexDataset.Load(loader).Loaded);
        }

        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), all);
    }

    [Fact]
    public void Advancing_past_the_epoch_or_a_world_larger_than_the_global_batch_is_refused()
    {
        var sampler = new DataPlanSampler(Plan, 2, 0);

        Assert.Throws<ArgumentOutOfRangeException>(() => sampler.Advance(7));
        Assert.Equal(PlanPosition.Start, sampler.Position);
        Assert.Contains("world size (10) must be in [1, 9]", Assert.Throws<ArgumentOutOfRangeException>(() => new DataPlanSampler(Plan, 10, 0)).Message);
    }
}
