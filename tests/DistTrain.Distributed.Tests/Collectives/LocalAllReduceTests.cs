using DistTrain.Distributed.Tests.Harness;
using DistTrain.Protocol.Launch;

namespace DistTrain.Distributed.Tests.Collectives;

/// <summary>When sums go through shared memory, when they fall back to Gloo (and say why), and that /dev/shm is left as it was found.</summary>
public sealed class LocalAllReduceTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task One_rank_turning_the_shared_memory_all_reduce_off_makes_every_rank_use_gloo(int ranks)
    {
        var options = new WorkerGroupOptions
        {
            RankEnvironment = new Dictionary<int, IReadOnlyDictionary<string, string>>
            {
                [ranks - 1] = new Dictionary<string, string> { [LaunchVariables.LocalAllReduce.Name] = "0" },
            },
        };
        var result = (await WorkerGroup.RunAsync("local-all-reduce-vote", ranks, options)).AssertAllPassed();
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
        Assert.All(result.Ranks, r => Assert.Contains("ok: all_reduce SUM of Float32 over 2 ranks", r.Lines));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Ranks_sharing_a_dev_shm_sum_through_it_and_leave_nothing_in_it_while_running_and_after(int ranks)
    {
        using var shm = await PrivateDevShm.StartAsync();
        var result = (await WorkerGroup.RunAsync("dev-shm", ranks, new WorkerGroupOptions { CommandPrefix = shm.CommandPrefix })).AssertAllPassed();
        Assert.All(result.Ranks, r => Assert.Contains(Transport.Line(Transport.SharedMemory), r.Lines));
        Assert.All(result.Ranks, r => Assert.Contains("/dev/shm after setup: []", r.Lines));
        Assert.All(result.Ranks, r => Assert.Contains("/dev/shm while summing: []", r.Lines));
        Assert.Empty(shm.Entries());
    }

    [Fact]
    public async Task A_peer_killed_while_ranks_sum_through_shared_memory_leaves_nothing_in_dev_shm()
    {
        using var shm = await PrivateDevShm.StartAsync();
        var result = await WorkerGroup.RunAsync("peer-killed", 3, new WorkerGroupOptions { CommandPrefix = shm.CommandPrefix });
        Assert.NotEqual(0, result.Ranks[^1].ExitCode); // really killed
        Assert.All(result.Ranks.SkipLast(1), r => Assert.True(r.ExitCode == 0, result.ToString()));
        Assert.All(result.Ranks.SkipLast(1), r => Assert.Contains(Transport.Line(Transport.SharedMemory), r.Lines));
        Assert.Empty(shm.Entries());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Tensors_from_empty_shared_reduce_exactly_in_every_type_and_view_and_leave_nothing_in_dev_shm(int ranks)
    {
        using var shm = await PrivateDevShm.StartAsync();
        var result = (await WorkerGroup.RunAsync("shared-buffer", ranks, new WorkerGroupOptions { CommandPrefix = shm.CommandPrefix })).AssertAllPassed();
        Assert.All(result.Ranks, r => Assert.Contains("empty_shared: shared", r.Lines));
        Assert.All(result.Ranks, r => Assert.Contains("large: shared", r.Lines));
        Assert.All(result.Ranks, r => Assert.Contains($"ok: shared tensors reduce exactly over {ranks} ranks", r.Lines));
        Assert.Empty(shm.Entries());
    }

    [Fact]
    public async Task Empty_shared_gives_every_rank_a_private_tensor_when_dev_shm_has_no_room_and_says_why()
    {
        // Room for the channel and the small buffers, not for 2 × 12 MB more.
        using var shm = await PrivateDevShm.StartAsync("20m");
        var result = (await WorkerGroup.RunAsync("shared-buffer", 2, new WorkerGroupOptions { CommandPrefix = shm.CommandPrefix })).AssertAllPassed();
        Assert.Contains(result.Ranks[0].Lines, l => l.StartsWith("large: private (cannot reserve", StringComparison.Ordinal) && l.Contains("No space left on device", StringComparison.Ordinal));
        Assert.Contains(result.Ranks[1].Lines, l => l.StartsWith("large: private (rank 0 could not create /dev/shm/disttrain-", StringComparison.Ordinal));
        Assert.All(result.Ranks, r => Assert.Contains("ok: shared tensors reduce exactly over 2 ranks", r.Lines));
    }

    [Fact]
    public async Task Empty_shared_gives_private_tensors_when_sums_go_over_gloo()
    {
        var result = (await WorkerGroup.RunAsync("shared-buffer", 2, Transport.Select(Transport.Gloo))).AssertAllPassed();
        Assert.All(result.Ranks, r => Assert.Contains("empty_shared: private (this group's sums do not go through shared memory)", r.Lines));
        Assert.All(result.Ranks, r => Assert.Contains("ok: shared tensors reduce exactly over 2 ranks", r.Lines));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task A_rank_passing_a_private_tensor_where_the_others_pass_a_shared_one_fails_every_rank_with_a_mismatch(int ranks)
    {
        var result = (await WorkerGroup.RunAsync("shared-buffer", ranks, new WorkerGroupOptions { Arguments = ["mismatch"] })).AssertAllPassed();
        Assert.All(result.Ranks, r => Assert.Contains(r.Lines, l =>
            l.StartsWith("exception: all_reduce on rank", StringComparison.Ordinal) && l.Contains("in shared buffer #", StringComparison.Ordinal)
            && l.Contains("on tensors of the same kind", StringComparison.Ordinal)));
    }
}
