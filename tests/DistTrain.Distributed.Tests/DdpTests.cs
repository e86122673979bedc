using DistTrain.Distributed.Tests.Harness;

namespace DistTrain.Distributed.Tests;

/// <summary>DistributedDataParallel on real worker processes (2 and 3 ranks on loopback; sums through shared memory unless a test picks Gloo); the checks run in the workers (DdpScenarios).</summary>
public sealed class DdpTests
{
    [Theory]
    [InlineData(2, Transport.SharedMemory)]
    [InlineData(3, Transport.SharedMemory)]
    [InlineData(2, Transport.Gloo)]
    public async Task Gradients_after_one_step_equal_the_single_process_gradient_of_the_global_batch(int ranks, string transport)
    {
        var result = (await WorkerGroup.RunAsync("ddp-gradients", ranks, Transport.Select(transport))).AssertAllPassed();
        Assert.All(result.Ranks, r => Assert.Contains(Transport.Line(transport), r.Lines));
        Assert.All(result.Ranks, r => Assert.Contains(r.Lines, l => l.StartsWith($"rank {r.Rank}: gradients match the single-process gradient", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Parameters_are_identical_on_every_rank_after_50_steps_and_buffers_follow_rank_0(int ranks)
    {
        var result = (await WorkerGroup.RunAsync("ddp-parameters-identical", ranks)).AssertAllPassed();
        Assert.All(result.Ranks, r => Assert.Contains($"rank {r.Rank}: parameters and buffers identical to rank 0's after 50 steps", r.Output));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task No_sync_accumulation_over_k_micro_batches_equals_one_large_batch(int ranks)
    {
        var result = (await WorkerGroup.RunAsync("ddp-no-sync", ranks)).AssertAllPassed();
        Assert.All(result.Ranks, r => Assert.Contains($"rank {r.Rank}: no_sync accumulation over 3 micro-batches equals one large batch", r.Output));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task A_parameter_without_gradient_fails_backward_naming_it_instead_of_hanging(int ranks)
    {
        var result = (await WorkerGroup.RunAsync("ddp-unused-parameter", ranks)).AssertAllPassed();
        Assert.All(result.Ranks, r => Assert.Contains(r.Lines, l =>
            l.Contains("received no gradient in this backward pass: unused.weight, unused.bias.", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task With_findUnusedParameters_a_parameter_unused_on_some_ranks_is_averaged_as_zero_there(int ranks)
    {
        var result = (await WorkerGroup.RunAsync("ddp-find-unused-parameters", ranks)).AssertAllPassed();
        Assert.All(result.Ranks, r => Assert.Contains(
            $"rank {r.Rank}: findUnusedParameters averaged with zeros for the unused parameters over 2 steps", r.Output));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task A_peer_killed_mid_training_makes_the_others_fail_with_a_clear_error_within_the_timeout(int ranks)
    {
        var result = await WorkerGroup.RunAsync("ddp-peer-killed", ranks);
        Assert.NotEqual(0, result.Ranks[^1].ExitCode); // really killed
        foreach (var rank in result.Ranks.SkipLast(1))
        {
            Assert.False(rank.KilledAtTimeout, result.ToString());
            Assert.True(rank.ExitCode == 3, result.ToString());
            Assert.Contains(rank.Lines, l => l.StartsWith($"rank {rank.Rank}: training failed at step", StringComparison.Ordinal)
                                             && l.Contains("gradient bucket", StringComparison.Ordinal)
                                             && l.Contains("another rank probably crashed or was killed", StringComparison.Ordinal));
        }
        // The survivors' collectives time out after 30 s; a dead peer must be noticed well before that.
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(60), $"the group took {result.Elapsed.TotalSeconds:0.0} s");
    }
}
