using DistTrain.Distributed.Tests.Harness;

namespace DistTrain.Distributed.Tests.Parallel;

/// <summary>
/// The losses and optimizers of deep-learning courses under DDP on 2 real ranks (TestWorker's ddp-course and ddp-frozen):
/// each combination learns, keeps the replicas bitwise equal, and without dropout equals one process on the whole batch;
/// frozen parameters are neither bucketed nor reduced and stay bitwise unchanged.
/// </summary>
public sealed class DdpCourseTests
{
    [Theory]
    [InlineData("mse", "sgd", "")]
    [InlineData("mse", "momentum", "")]
    [InlineData("bce", "adam", "")]
    [InlineData("bce", "sgd-wd", "")]
    [InlineData("ce", "adamw", "")]
    [InlineData("ce", "momentum", "dropout")]
    [InlineData("ce", "adam", "dropout")]
    public async Task Course_loss_and_optimizer_learn_under_ddp_with_replicas_equal(string loss, string optimizer, string dropout)
    {
        string[] arguments = dropout.Length > 0 ? [loss, optimizer, dropout, "8"] : [loss, optimizer, "8"];
        var result = (await WorkerGroup.RunAsync("ddp-course", 2, new WorkerGroupOptions { Arguments = arguments })).AssertAllPassed();
        var versus = dropout.Length > 0 ? "no single-process reference (dropout)" : "equal to one process on the whole batch";
        Assert.All(result.Ranks, r => Assert.Contains(r.Lines, l =>
            l.StartsWith($"rank {r.Rank}: {loss} + {optimizer}{(dropout.Length > 0 ? " + dropout" : "")}: loss ", StringComparison.Ordinal)
            && l.Contains($"weights equal on every rank, {versus}", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Frozen_parameters_are_not_bucketed_nor_reduced_and_stay_bitwise_unchanged_while_the_head_trains()
    {
        var result = (await WorkerGroup.RunAsync("ddp-frozen", 2, new WorkerGroupOptions { Arguments = ["3"] })).AssertAllPassed();
        Assert.All(result.Ranks, r => Assert.Contains(
            $"rank {r.Rank}: 4 frozen parameters outside the 1 bucket(s), never given a gradient and bitwise unchanged after 3 steps; 2 trained ones changed and equal on every rank", r.Lines));
    }
}
