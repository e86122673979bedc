using DistTrain.Distributed.Tests.Harness;

namespace DistTrain.Distributed.Tests.Collectives;

/// <summary>Each collective on 2 and 3 real processes bootstrapped through an in-process coordinator; the workers check the values.</summary>
public sealed class CollectiveTests
{
    [Theory]
    [InlineData(2, Transport.SharedMemory)]
    [InlineData(3, Transport.SharedMemory)]
    [InlineData(2, Transport.Gloo)]
    [InlineData(3, Transport.Gloo)]
    public async Task All_reduce_sum_avg_max_min_product_give_every_rank_the_reduction(int ranks, string transport)
    {
        var result = (await WorkerGroup.RunAsync("all-reduce", ranks, Transport.Select(transport))).AssertAllPassed();
        Assert.All(result.Ranks, r => Assert.Contains(Transport.Line(transport), r.Lines));
        foreach (var op in new[] { "SUM", "AVG", "MAX", "MIN", "PRODUCT" })
        {
            Assert.All(result.Ranks, r => Assert.Contains($"ok: all_reduce {op} over {ranks} ranks", r.Lines));
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Through_shared_memory_sums_of_every_size_and_dtype_are_exact_on_every_rank(int ranks)
    {
        var result = (await WorkerGroup.RunAsync("all-reduce-sizes", ranks)).AssertAllPassed();
        Assert.All(result.Ranks, r => Assert.Contains(Transport.Line(Transport.SharedMemory), r.Lines));
        foreach (var dtype in new[] { "Float32", "Float64", "Int32", "Int64" })
        {
            Assert.All(result.Ranks, r => Assert.Contains($"ok: all_reduce SUM exact for every size in {dtype}", r.Lines));
        }
    }

    [Theory]
    [InlineData(2, Transport.SharedMemory)]
    [InlineData(3, Transport.SharedMemory)]
    [InlineData(3, Transport.Gloo)]
    public async Task Transposed_views_sum_broadcast_and_gather_like_contiguous_tensors(int ranks, string transport)
    {
        var result = (await WorkerGroup.RunAsync("all-reduce-layouts", ranks, Transport.Select(transport))).AssertAllPassed();
        Assert.All(result.Ranks, r => Assert.Contains(Transport.Line(transport), r.Lines));
        Assert.All(result.Ranks, r => Assert.Contains($"ok: all_reduce SUM with mixed layouts on rank {r.Rank}", r.Lines));
        Assert.All(result.Ranks, r => Assert.Contains($"ok: broadcast into a transposed view on rank {r.Rank}", r.Lines));
        Assert.All(result.Ranks, r => Assert.Contains($"ok: all_gather into transposed views on rank {r.Rank}", r.Lines));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Through_shared_memory_tensors_of_different_sizes_fail_on_every_rank_naming_one_that_differs(int ranks)
    {
        var result = (await WorkerGroup.RunAsync("all-reduce-mismatch", ranks)).AssertAllPassed();
        foreach (var rank in result.Ranks)
        {
            var other = rank.Rank == 0 ? 1 : 0; // the first rank in rank order whose tensor differs from this one's
            Assert.Contains(rank.Lines, l => l.StartsWith($"exception: CollectiveException: all_reduce failed on rank {rank.Rank} of {ranks}", StringComparison.Ordinal)
                && l.Contains($"rank {other} passed {4 + other} elements of float32 to all_reduce, this rank {4 + rank.Rank} of float32", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task One_rank_turning_the_shared_memory_all_reduce_off_makes_every_rank_use_gloo(int ranks)
    {
        var result = (await WorkerGroup.RunAsync("local-all-reduce-vote", ranks)).AssertAllPassed();
        Assert.All(result.Ranks, r => Assert.Contains(Transport.Line(Transport.Gloo), r.Lines));
        Assert.All(result.Ranks, r => Assert.Contains($"local all-reduce: rank {ranks - 1}: turned off (DISTTRAIN_LOCAL_ALLREDUCE=0)", r.Lines));
        Assert.All(result.Ranks, r => Assert.Contains($"ok: all_reduce SUM over Gloo on rank {r.Rank}", r.Lines));
    }

    [Theory]
    [InlineData("64m", "local all-reduce: rank 1: cannot open /dev/shm/disttrain-", "No such file or directory")]
    [InlineData("1m", "local all-reduce: rank 0: cannot reserve", "No space left on device")]
    public async Task Ranks_that_do_not_share_a_dev_shm_with_room_for_the_segment_all_use_gloo_and_say_why(string size, string why, string error)
    {
        // Each worker gets a /dev/shm of its own (a user and mount namespace, no root needed), so rank 0's
        // segment is invisible to the others, as it is to a pod on another node; at 1 MiB it does not fit.
        var privateShm = new WorkerGroupOptions
        {
            CommandPrefix = ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", $"mount -t tmpfs -o size={size} tmpfs /dev/shm && exec \"$@\"", "private-dev-shm"],
        };
        var result = (await WorkerGroup.RunAsync("all-reduce", 2, privateShm)).AssertAllPassed();
        Assert.All(result.Ranks, r => Assert.Contains(Transport.Line(Transport.Gloo), r.Lines));
        Assert.All(result.Ranks, r => Assert.Contains(r.Lines, l => l.StartsWith(why, StringComparison.Ordinal) && l.Contains(error, StringComparison.Ordinal)));
        Assert.All(result.Ranks, r => Assert.Contains("ok: all_reduce SUM over 2 ranks", r.Lines));
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
