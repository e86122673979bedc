using DistTrain.Distributed.Tests.Harness;

namespace DistTrain.Distributed.Tests.Collectives;

/// <summary>Each collective on 2 and 3 real processes bootstrapped through an in-process coordinator, through shared memory and over Gloo; the workers check the values.</summary>
public sealed class CollectiveTests
{
    public static readonly TheoryData<int, string> RanksAndTransports = new()
    {
        { 2, Transport.SharedMemory }, { 3, Transport.SharedMemory }, { 2, Transport.Gloo }, { 3, Transport.Gloo },
    };

    private static readonly string[] Types = ["Float32", "Float64", "Int32", "Int64", "Float16", "BFloat16", "Byte"];

    [Theory]
    [MemberData(nameof(RanksAndTransports))]
    public async Task All_reduce_sum_avg_min_max_product_give_every_rank_the_reduction_in_every_element_type(int ranks, string transport)
    {
        var result = (await WorkerGroup.RunAsync("all-reduce", ranks, Transport.Select(transport))).AssertAllPassed();
        Assert.All(result.Ranks, r => Assert.Contains(Transport.Line(transport), r.Lines));
        foreach (var type in Types)
        {
            var floating = type is "Float32" or "Float64" or "Float16" or "BFloat16";
            foreach (var op in new[] { "SUM", "AVG", "MAX", "MIN", "PRODUCT" })
            {
                var line = op == "AVG" && !floating ? $"ok: all_reduce AVG refused for {type}" : $"ok: all_reduce {op} of {type} over {ranks} ranks";
                Assert.All(result.Ranks, r => Assert.Contains(line, r.Lines));
            }
        }
    }

    [Theory]
    [MemberData(nameof(RanksAndTransports))]
    public async Task Sums_of_0_1_2_7_1000003_and_3000001_elements_are_exact_on_every_rank(int ranks, string transport)
    {
        var result = (await WorkerGroup.RunAsync("all-reduce-sizes", ranks, Transport.Select(transport))).AssertAllPassed();
        Assert.All(result.Ranks, r => Assert.Contains(Transport.Line(transport), r.Lines));
        foreach (var dtype in new[] { "Float32", "Float64", "Int32", "Int64" })
        {
            Assert.All(result.Ranks, r => Assert.Contains($"ok: all_reduce SUM exact for every size in {dtype}", r.Lines));
        }
    }

    [Theory]
    [InlineData(2, Transport.SharedMemory)]
    [InlineData(3, Transport.Gloo)]
    public async Task Broadcast_copies_the_roots_tensor_to_every_rank(int ranks, string transport)
    {
        var result = (await WorkerGroup.RunAsync("broadcast", ranks, Transport.Select(transport))).AssertAllPassed();
        foreach (var type in new[] { "Float32", "Int64", "Byte" })
        {
            Assert.All(result.Ranks, r => Assert.Contains($"ok: broadcast of {type} from rank {ranks - 1} to rank {r.Rank}", r.Lines));
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task All_gather_into_a_list_and_into_one_tensor_gives_every_rank_every_ranks_tensor_in_rank_order(int ranks)
    {
        var result = (await WorkerGroup.RunAsync("all-gather", ranks)).AssertAllPassed();
        Assert.All(result.Ranks, r => Assert.Contains($"ok: all_gather list slot {ranks - 1} on rank {r.Rank}", r.Lines));
        Assert.All(result.Ranks, r => Assert.Contains($"ok: all_gather into transposed views on rank {r.Rank}", r.Lines));
        Assert.All(result.Ranks, r => Assert.Contains($"ok: all_gather_into_tensor on rank {r.Rank}", r.Lines));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Reduce_scatter_from_a_list_and_from_one_tensor_gives_each_rank_the_reduction_of_its_part(int ranks)
    {
        var result = (await WorkerGroup.RunAsync("reduce-scatter", ranks)).AssertAllPassed();
        foreach (var op in new[] { "SUM", "AVG", "MAX" })
        {
            Assert.All(result.Ranks, r => Assert.Contains($"ok: reduce_scatter {op} from a list on rank {r.Rank} of {ranks}", r.Lines));
            Assert.All(result.Ranks, r => Assert.Contains($"ok: reduce_scatter_tensor {op} on rank {r.Rank} of {ranks}", r.Lines));
        }
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
    [InlineData(1, Transport.SharedMemory)]
    [InlineData(2, Transport.SharedMemory)]
    [InlineData(3, Transport.SharedMemory)]
    [InlineData(2, Transport.Gloo)]
    public async Task Synchronous_collectives_between_async_ones_in_flight_keep_the_order_they_were_issued_in(int ranks, string transport)
    {
        var result = (await WorkerGroup.RunAsync("mixed-waits", ranks, Transport.Select(transport))).AssertAllPassed();
        Assert.All(result.Ranks, r => Assert.Contains($"ok: mixed synchronous and asynchronous collectives over {ranks} ranks", r.Lines));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Async_collectives_complete_through_their_work_handles_and_a_short_wait_leaves_the_work_running(int ranks)
    {
        var result = (await WorkerGroup.RunAsync("async-work", ranks)).AssertAllPassed();
        Assert.All(result.Ranks, r => Assert.Contains("ok: async all_reduce AVG divides once", r.Lines));
        Assert.All(result.Ranks, r => Assert.Contains("ok: async reduce_scatter", r.Lines));
        Assert.All(result.Ranks, r => Assert.Contains("ok: all_reduce SUM after a short wait ran out", r.Lines));
        foreach (var rank in result.Ranks.SkipLast(1))
        {
            Assert.Contains(rank.Lines, l => l.StartsWith($"short wait: all_reduce on rank {rank.Rank} of {ranks} ({Transport.SumLabel(Transport.SharedMemory)}) did not complete within the wait's 0.1 s", StringComparison.Ordinal)
                                             && l.Contains("It still runs", StringComparison.Ordinal));
            Assert.Contains(rank.Lines, l => l.StartsWith("ok: the work completed after its short wait ran out", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(2, Transport.SharedMemory)]
    [InlineData(3, Transport.Gloo)]
    public async Task A_non_contiguous_tensor_is_refused_at_once_naming_rank_and_collective_and_the_group_stays_usable(int ranks, string transport)
    {
        var result = (await WorkerGroup.RunAsync("non-contiguous", ranks, Transport.Select(transport))).AssertAllPassed();
        foreach (var rank in result.Ranks)
        {
            Assert.Contains($"ok: every collective refused a non-contiguous tensor on rank {rank.Rank}", rank.Lines);
            foreach (var collective in new[] { "all_reduce", "broadcast", "all_gather", "reduce_scatter" })
            {
                Assert.Contains(rank.Lines, l => l.StartsWith($"refused: {collective} on rank {rank.Rank} of {ranks} (gloo): the tensor is not contiguous", StringComparison.Ordinal));
            }
            Assert.Contains($"ok: all_reduce after the refusals on rank {rank.Rank}", rank.Lines);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Ranks_report_the_sums_of_their_metrics_over_every_rank(int ranks)
    {
        var result = (await WorkerGroup.RunAsync("metrics", ranks)).AssertAllPassed();
        Assert.All(result.Ranks, r => Assert.Contains(r.Lines, l => l.StartsWith($"ok: metrics summed over {ranks} ranks on rank {r.Rank}", StringComparison.Ordinal)));
    }
}
