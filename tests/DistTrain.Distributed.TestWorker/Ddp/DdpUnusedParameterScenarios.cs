using DistTrain.Parallel;
using static TorchSharp.torch;

namespace DistTrain.Distributed.TestWorker.Ddp;

/// <summary>
/// A parameter that gets no gradient (starting from gradients set to none) makes <c>loss.backward()</c>
/// throw on every rank (no hang); <see cref="DistributedDataParallel.LastBackwardFailure"/> names exactly the
/// unused parameters; every gradient is left as none; the next forward throws an InvalidOperationException
/// with that message, and the one after it runs.
/// </summary>
public sealed class DdpUnusedParameterScenario : DdpScenario
{
    public override string Name => "ddp-unused-parameter";

    protected override void Run(ProcessGroup group, string[] args)
    {
        int rank = group.rank();
        using var model = new DdpModels.PartlyUsed(seed: 700);
        using var ddp = new DistributedDataParallel(model, group);
        using var scope = NewDisposeScope();
        var (x, y) = DdpModels.Mlp.Batch(701, 4);
        ddp.zero_grad(); // set to none: "no gradient" is then told apart from "a zero gradient"

        var thrown = Check.Throws<Exception>(() => nn.functional.mse_loss(ddp.call(x), y).backward(), "backward with an unused parameter");
        Console.WriteLine($"rank {rank}: backward threw {thrown.GetType().Name}: {thrown.Message.Split('\n')[0]}");
        var failure = ddp.LastBackwardFailure;
        Console.WriteLine($"rank {rank}: LastBackwardFailure: {failure}");
        Check.That(failure is not null, "LastBackwardFailure says why backward failed");
        const string names = "received no gradient in this backward pass: unused.weight, unused.bias.";
        Check.That(failure!.Contains($"(rank {rank}): 2 parameter(s) {names}", StringComparison.Ordinal), $"the failure names exactly unused.weight and unused.bias: {failure}");
        Check.That(model.parameters().All(p => p.grad is null), "after the failure no gradient is left for an optimizer step to apply");

        var next = Check.Throws<InvalidOperationException>(() => ddp.call(x), "the forward after the failed backward");
        Check.That(next.Message == failure, $"the next forward raises the failure's message: {next.Message}");
        Check.That(ddp.LastBackwardFailure is null, "once raised, the failure is cleared");
        using (no_grad()) ddp.call(x); // and the model runs again
        Console.WriteLine($"rank {rank}: the next forward threw InvalidOperationException: {next.Message}");
    }
}

/// <summary>
/// With findUnusedParameters, backward succeeds and every gradient is the average over the ranks of each
/// rank's own gradient, counting zero where a rank did not use the parameter: "rank0" (used on rank 0 only)
/// gets rank 0's gradient divided by the world size, "never" gets exactly zero. Two steps, the first from
/// gradients set to none, the second from zeroed ones.
/// </summary>
public sealed class DdpFindUnusedParametersScenario : DdpScenario
{
    public override string Name => "ddp-find-unused-parameters";

    protected override void Run(ProcessGroup group, string[] args)
    {
        int rank = group.rank(), world = group.size();
        const long perRank = 3;
        using var model = new DdpModels.SometimesUsed(seed: 900, useRankZeroLayer: rank == 0);
        using var ddp = new DistributedDataParallel(model, group, findUnusedParameters: true);
        for (var step = 0; step < 2; step++)
        {
            using var scope = NewDisposeScope();
            var (x, y) = DdpModels.Mlp.Batch(901 + step, perRank * world);
            ddp.zero_grad(set_to_none: step == 0);
            nn.functional.mse_loss(ddp.call(DdpModels.Shard(x, rank, perRank)), DdpModels.Shard(y, rank, perRank)).backward();
            Check.That(ddp.LastBackwardFailure is null, $"step {step}: backward succeeded ({ddp.LastBackwardFailure})");

            // What each rank computed on its own shard, with its own use of the layers, averaged (missing: zero).
            var expected = model.named_parameters().ToDictionary(p => p.name, p => zeros_like(p.parameter));
            for (var r = 0; r < world; r++)
            {
                using var local = new DdpModels.SometimesUsed(seed: 900, useRankZeroLayer: r == 0);
                nn.functional.mse_loss(local.call(DdpModels.Shard(x, r, perRank)), DdpModels.Shard(y, r, perRank)).backward();
                foreach (var (name, p) in local.named_parameters())
                    using (var g = p.grad)
                        if (g is not null) expected[name].add_(g, alpha: 1.0 / world);
            }
            var difference = Check.MaxDifference(model.named_parameters().Select(p => (p.name, p.parameter.grad!)), expected);
            Check.That(difference <= Tolerance, $"step {step}: the gradients differ from the average with zeros by {difference}");
            using var never = model.named_parameters().Single(p => p.name == "never.weight").parameter.grad!;
            Check.That(never.abs().max().item<float>() == 0, $"step {step}: never.weight's gradient is not zero");
        }
        Console.WriteLine($"rank {rank}: findUnusedParameters averaged with zeros for the unused parameters over 2 steps");
    }
}
