using DistTrain.Data;
using static TorchSharp.torch;

namespace DistTrain.Distributed.Tests.Data;

/// <summary>How DistributedSampler splits a dataset's indices across ranks, alone and as TorchSharp's DataLoader sampler.</summary>
public sealed class DistributedSamplerTests
{
    private static long[][] Shards(long size, int replicas, bool shuffle = true, int seed = 7, long epoch = 0, bool dropLast = false, bool evaluation = false) =>
        Enumerable.Range(0, replicas).Select(r =>
        {
            var sampler = new DistributedSampler(size, replicas, r, shuffle, seed, dropLast, evaluation);
            sampler.set_epoch(epoch);
            var indices = sampler.ToArray();
            Assert.Equal(sampler.Count, indices.LongLength);
            return indices;
        }).ToArray();

    [Theory]
    [InlineData(10, 3)]
    [InlineData(12, 3)]
    [InlineData(7, 2)]
    [InlineData(2, 3)]
    public void Training_partitions_cover_every_index_with_equal_shares_padded_by_repeats(long size, int replicas)
    {
        var shards = Shards(size, replicas);
        var expectedShare = (size + replicas - 1) / replicas;
        Assert.All(shards, s => Assert.Equal(expectedShare, s.LongLength));
        var all = shards.SelectMany(s => s).ToArray();
        Assert.Equal(Enumerable.Range(0, (int)size).Select(i => (long)i), all.Distinct().Order());
        Assert.Equal(expectedShare * replicas - size, all.Length - all.Distinct().Count());
    }

    [Fact]
    public void Drop_last_truncates_to_equal_shares_without_repeats()
    {
        var shards = Shards(11, 3, dropLast: true);
        Assert.All(shards, s => Assert.Equal(3, s.Length));
        var all = shards.SelectMany(s => s).ToArray();
        Assert.Equal(9, all.Distinct().Count());
    }

    [Fact]
    public void Shuffles_differently_per_epoch_and_identically_across_instances_of_one_epoch()
    {
        var epoch0 = Shards(100, 2, epoch: 0);
        var epoch1 = Shards(100, 2, epoch: 1);
        Assert.NotEqual(epoch0[0], epoch1[0]);
        Assert.Equal(epoch0[0], Shards(100, 2, epoch: 0)[0]);
        Assert.NotEqual(Enumerable.Range(0, 50).Select(i => (long)i * 2), epoch0[0]);
        // Within one epoch the ranks' shares are still disjoint (100 divides evenly: no padding).
        Assert.Empty(epoch1[0].Intersect(epoch1[1]));
    }

    [Fact]
    public void Without_shuffle_rank_r_takes_every_nth_index_from_r()
    {
        var shards = Shards(7, 3, shuffle: false);
        Assert.Equal([0L, 3, 6], shards[0]);
        Assert.Equal([1L, 4, 0], shards[1]);
        Assert.Equal([2L, 5, 1], shards[2]);
    }

    [Theory]
    [InlineData(10, 3, true)]
    [InlineData(10, 3, false)]
    [InlineData(2, 3, false)]
    [InlineData(9, 4, true)]
    public void Evaluation_visits_every_sample_exactly_once(long size, int replicas, bool shuffle)
    {
        var shards = Shards(size, replicas, shuffle: shuffle, evaluation: true);
        var all = shards.SelectMany(s => s).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, (int)size).Select(i => (long)i), all);
        Assert.True(shards.Max(s => s.Length) - shards.Min(s => s.Length) <= 1);
    }

    [Fact]
    public void Invalid_arguments_say_the_value_and_the_rule()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedSampler(10, 2, 2));
        Assert.Contains("rank (2) must be in [0, 1]", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedSampler(10, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedSampler(-1, 1, 0));
        Assert.Throws<ArgumentException>(() => new DistributedSampler(10, 2, 0, drop_last: true, evaluation: true));
    }

    [Theory]
    [InlineData(10, 3, 2)]
    [InlineData(9, 2, 4)]
    [InlineData(4, 3, 3)]
    public void As_a_dataloaders_sampler_it_makes_each_rank_load_its_indices_in_order_in_as_many_batches_as_every_other_rank(long size, int replicas, int batchSize)
    {
        var batchCounts = new List<int>();
        for (var rank = 0; rank < replicas; rank++)
        {
            var sampler = new DistributedSampler(size, replicas, rank, seed: 3);
            sampler.set_epoch(2);
            using var loader = utils.data.DataLoader(new IndexDataset(size), batchSize, sampler, disposeDataset: true);
            var (loaded, batches) = IndexDataset.Load(loader);
            Assert.Equal(sampler.ToArray(), loaded);
            Assert.All(batches.SkipLast(1), b => Assert.Equal(batchSize, b));
            batchCounts.Add(batches.Count);
        }
        Assert.Single(batchCounts.Distinct()); // every rank steps the same number of times
    }

    [Fact]
    public void Set_epoch_before_an_epoch_changes_what_the_same_dataloader_loads()
    {
        var sampler = new DistributedSampler(40, 2, 1, seed: 5);
        using var loader = utils.data.DataLoader(new IndexDataset(40), 8, sampler);
        var epoch0 = IndexDataset.Load(loader).Loaded;
        sampler.set_epoch(1);
        var epoch1 = IndexDataset.Load(loader).Loaded;
        Assert.NotEqual(epoch0, epoch1);
        Assert.Equal(sampler.ToArray(), epoch1);
        sampler.set_epoch(0);
        Assert.Equal(epoch0, IndexDataset.Load(loader).Loaded);
    }

    [Theory]
    [InlineData(10, 3)]
    [InlineData(7, 4)]
    public void In_evaluation_the_ranks_dataloaders_load_every_sample_exactly_once(long size, int replicas)
    {
        var all = new List<long>();
        for (var rank = 0; rank < replicas; rank++)
        {
            using var loader = utils.data.DataLoader(new IndexDataset(size), 3, new DistributedSampler(size, replicas, rank, evaluation: true));
            all.AddRange(IndexDataset.Load(loader).Loaded);
        }
        Assert.Equal(Enumerable.Range(0, (int)size).Select(i => (long)i), all.Order());
    }
}
