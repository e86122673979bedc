using DistTrain.Distributed.Tests.Harness;

namespace DistTrain.Distributed.Tests.Parallel;

/// <summary>DistributedDataParallel on real worker processes (2 and 3 ranks on loopback; sums through shared memory unless a test picks Gloo); the checks run in the workers (TestWorker/Ddp).</summary>
public sealed class DdpTests
{
    [Theory]
    [InlineData("mlp", 2, Transport.SharedMemory, 3, "float32")]
    [InlineData("mlp", 3, Transport.SharedMemory, 3, "float32")]
    [InlineData("mlp", 2, Transport.Gloo, 3, "float32")]
    [InlineData("cnn-bn", 2, Transport.SharedMemory, 3, "float32")]
    [InlineData("cnn-bn", 3, Transport.Gloo, 3, "float32")]
    [InlineData("tied", 2, Transport.SharedMemory, 3, "float32")]
    [InlineData("tied", 3, Transport.SharedMemory, 3, "float32")]
    [InlineData("resnet18", 2, Transport.SharedMemory, 2, "float32")]
    // Over 3 ranks the averages round differently from one process's, and BatchNorm over 2 samples per rank
    // amplifies float32's rounding into the next step's gradients: float64 keeps the comparison meaningful.
    [InlineData("resnet18", 3, Transport.Gloo, 2, "float64")]
    public async Task Gradients_and_weights_after_n_steps_equal_a_single_process_on_the_whole_batch(string model, int ranks, string transport, int steps, string dtype)
    {
        var perRank = model == "resnet18" ? "2" : "4";
        var options = Transport.Select(transport, new WorkerGroupOptions { Arguments = [model, steps.ToString(), perRank, dtype], Timeout = TimeSpan.FromSeconds(240) });
        var result = (await WorkerGroup.RunAsync("ddp-equivalence", ranks, options)).AssertAllPassed();
        Assert.All(result.Ranks, r => Assert.Contains(Transport.Line(transport), r.Lines));
        Assert.All(result.Ranks, r => Assert.Contains(r.Lines, l =>
            l.StartsWith($"rank {r.Rank}: {model} in {(dtype == "float64" ? "Float64" : "Float32")}: gradients and weights after {steps} steps equal the single process's", StringComparison.Ordinal)
            && l.EndsWith("overlap on)", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task All_reduces_of_later_layers_buckets_are_launched_while_backward_still_runs(int ranks)
    {
        var result = (await WorkerGroup.RunAsync("ddp-overlap", ranks)).AssertAllPassed();
        Assert.All(result.Ranks, r => Assert.Contains("step 0: 0 of 3 buckets launched before backward reached the first layer", r.Lines)); // the self-check reduces at the end
        Assert.All(result.Ranks, r => Assert.Contains("step 2: 2 of 3 buckets launched before backward reached the first layer", r.Lines));
        Assert.All(result.Ranks, r => Assert.Contains($"rank {r.Rank}: all-reduces of 2 of 3 buckets launched while backward still ran", r.Lines));
    }

    [Theory]
    [InlineData(2)]
    public async Task Gradients_stay_views_into_their_buckets_across_optimizer_zero_grad(int ranks)
    {
        var result = (await WorkerGroup.RunAsync("ddp-gradient-views", ranks)).AssertAllPassed();
        Assert.All(result.Ranks, r => Assert.Contains(r.Lines, l =>
            l.StartsWith($"rank {r.Rank}: gradients stay views into their", StringComparison.Ordinal) && l.EndsWith("across optimizer.zero_grad(), steps and backwards", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Parameters_are_identical_on_every_rank_after_50_steps_and_a_training_forward_brings_buffers_to_rank_0s(int ranks)
    {
        var result = (await WorkerGroup.RunAsync("ddp-state", ranks)).AssertAllPassed();
        Assert.All(result.Ranks, r => Assert.Contains($"rank {r.Rank}: parameters identical to rank 0's after 50 steps, buffers identical after a training forward", r.Lines));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task No_sync_accumulation_over_k_micro_batches_equals_one_large_batch(int ranks)
    {
        var result = (await WorkerGroup.RunAsync("ddp-no-sync", ranks)).AssertAllPassed();
        Assert.All(result.Ranks, r => Assert.Contains($"rank {r.Rank}: no_sync accumulation over 3 micro-batches equals one large batch", r.Lines));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task A_parameter_without_gradient_fails_backward_on_every_rank_and_the_next_forward_names_exactly_it(int ranks)
    {
        var result = (await WorkerGroup.RunAsync("ddp-unused-parameter", ranks)).AssertAllPassed();
        foreach (var rank in result.Ranks)
        {
            Assert.Contains(rank.Lines, l => l.StartsWith($"rank {rank.Rank}: backward threw ", StringComparison.Ordinal));
            Assert.Contains(rank.Lines, l => l.StartsWith($"rank {rank.Rank}: the next forward threw InvalidOperationException: DistributedDataParallel (rank {rank.Rank}): 2 parameter(s) received no gradient in this backward pass: unused.weight, unused.bias.", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task With_findUnusedParameters_a_parameter_unused_on_some_ranks_is_averaged_as_zero_there(int ranks)
    {
        var result = (await WorkerGroup.RunAsync("ddp-find-unused-parameters", ranks)).AssertAllPassed();
        Assert.All(result.Ranks, r => Assert.Contains($"rank {r.Rank}: findUnusedParameters averaged with zeros for the unused parameters over 2 steps", r.Lines));
    }

    [Theory]
    [InlineData(2, Transport.SharedMemory)]
    [InlineData(3, Transport.SharedMemory)]
    [InlineData(2, Transport.Gloo)]
    public async Task A_peer_killed_mid_training_makes_the_others_fail_with_a_clear_error_long_before_the_timeout(int ranks, string transport)
    {
        var result = await WorkerGroup.RunAsync("ddp-peer-killed", ranks, Transport.Select(transport));
        Assert.NotEqual(0, result.Ranks[^1].ExitCode); // really killed
        foreach (var rank in result.Ranks.SkipLast(1))
        {
            Assert.False(rank.KilledAtTimeout, result.ToString());
            Assert.True(rank.ExitCode == 3, result.ToString());
            Assert.Contains(rank.Lines, l => l.StartsWith($"rank {rank.Rank}: training failed at step", StringComparison.Ordinal)
                                             && l.Contains("gradient bucket", StringComparison.Ordinal)
                                             && l.Contains("a peer is gone", StringComparison.Ordinal));
        }
        // The survivors' collectives time out after 30 s; a dead peer must be noticed well before that.
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(60), $"the group took {result.Elapsed.TotalSeconds:0.0} s");
    }
}
