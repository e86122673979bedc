using DistTrain.Distributed.Tests.Harness;

namespace DistTrain.Distributed.Tests.Collectives;

/// <summary>Each collective on 2 and 3 real processes bootstrapped through an in-process coordinator; the workers check the values.</summary>
public sealed class CollectiveTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task All_reduce_sum_avg_max_min_product_give_every_rank_the_reduction(int ranks)
    {
        var result = (await WorkerGroup.RunAsync("all-reduce", ranks)).AssertAllPassed();
        foreach (var op in new[] { "SUM", "AVG", "MAX", "MIN", "PRODUCT" })
        {
            Assert.All(result.Ranks, r => Assert.Contains($"ok: all_reduce {op} over {ranks} ranks", r.Lines));
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Broadcast_copies_the_roots_tensor_to_every_rank(int ranks)
    {
        var result = (await WorkerGroup.RunAsync("broadcast", ranks)).AssertAllPassed();
        Assert.All(result.Ranks, r => Assert.Contains($"ok: broadcast from rank {ranks - 1} to rank {r.Rank}", r.Lines));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task All_gather_gives_every_rank_every_ranks_tensor_in_rank_order(int ranks)
    {
        var result = (await WorkerGroup.RunAsync("all-gather", ranks)).AssertAllPassed();
        Assert.All(result.Ranks, r => Assert.Contains($"ok: all_gather slot {ranks - 1} on rank {r.Rank}", r.Lines));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Reduce_scatter_gives_each_rank_the_reduction_of_its_part(int ranks)
    {
        var result = (await WorkerGroup.RunAsync("reduce-scatter", ranks)).AssertAllPassed();
        Assert.All(result.Ranks, r => Assert.Contains($"ok: reduce_scatter AVG on rank {r.Rank} of {ranks}", r.Lines));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Barrier_holds_every_rank_until_the_last_arrives(int ranks)
    {
        var result = (await WorkerGroup.RunAsync("barrier", ranks)).AssertAllPassed();
        Assert.All(result.Ranks, r => Assert.Contains(r.Lines, l => l.StartsWith("ok: barrier held", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Async_collectives_complete_through_their_work_handles(int ranks)
    {
        var result = (await WorkerGroup.RunAsync("async-work", ranks)).AssertAllPassed();
        Assert.All(result.Ranks, r => Assert.Contains("ok: async all_reduce AVG divides once", r.Lines));
    }

    [Fact]
    public async Task Collectives_work_over_a_tcpstore_from_master_addr_and_port_without_a_coordinator()
    {
        var result = (await WorkerGroup.RunAsync("all-reduce", 2, new WorkerGroupOptions { Store = StoreKind.TcpStore })).AssertAllPassed();
        Assert.All(result.Ranks, r => Assert.Contains("ok: all_reduce AVG over 2 ranks", r.Lines));
    }
}
