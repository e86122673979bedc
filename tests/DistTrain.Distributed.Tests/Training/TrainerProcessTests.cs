using DistTrain.Distributed.Tests.Harness;

namespace DistTrain.Distributed.Tests.Training;

/// <summary>The Trainer on 2 real ranks under DistributedDataParallel (TestWorker/Training); the checks against one process run in the workers.</summary>
public sealed class TrainerProcessTests
{
    [Fact]
    public async Task Early_stopping_fires_after_the_same_epoch_on_every_rank_from_the_metric_over_all_ranks()
    {
        var result = (await WorkerGroup.RunAsync("trainer-early-stopping", 2)).AssertAllPassed();
        Assert.All(result.Ranks, r => Assert.Contains($"rank {r.Rank}: early stopping after epoch 6 of 8 (best epoch 3); learning rate halved every epoch", r.Lines));
    }

    [Fact]
    public async Task Reduce_lr_on_plateau_lowers_the_rate_after_patience_epochs_at_the_same_epoch_on_every_rank_from_the_metric_over_all_ranks()
    {
        var result = (await WorkerGroup.RunAsync("trainer-plateau", 2)).AssertAllPassed();
        Assert.All(result.Ranks, r => Assert.Contains($"rank {r.Rank}: learning rate halved after epochs 5 and 9 of 9 by ReduceLROnPlateau on the val_loss over all ranks", r.Lines));
    }

    [Fact]
    public async Task Accumulation_over_k_micro_batches_equals_one_step_on_the_k_times_batch_and_a_per_step_scheduler_steps_each()
    {
        var result = (await WorkerGroup.RunAsync("trainer-accumulation", 2)).AssertAllPassed();
        Assert.All(result.Ranks, r => Assert.Contains(r.Lines, l =>
            l.StartsWith($"rank {r.Rank}: accumulation over 3 micro-batches (steps of 3, 3, 1) equals one process's steps on the 3-times batch, learning rate halved each step", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Gradients_are_clipped_to_the_max_norm_before_the_step()
    {
        var result = (await WorkerGroup.RunAsync("trainer-clipping", 2)).AssertAllPassed();
        Assert.All(result.Ranks, r => Assert.Contains(r.Lines, l =>
            l.StartsWith($"rank {r.Rank}: gradients of norm ", StringComparison.Ordinal) && l.EndsWith(" clipped to 0.05 before the step, as one process's", StringComparison.Ordinal)));
    }
}
