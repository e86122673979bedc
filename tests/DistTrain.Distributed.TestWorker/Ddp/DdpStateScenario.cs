using DistTrain.Parallel;
using static TorchSharp.torch;

namespace DistTrain.Distributed.TestWorker.Ddp;

/// <summary>
/// After 50 steps on different data per rank (with BatchNorm, gradients set to none every other step), every
/// rank's parameters are bit-identical to rank 0's. Each rank's BatchNorm running statistics then differ
/// from rank 0's (each saw its own batches); a training forward broadcasts rank 0's before running, so after
/// one with the same input everywhere they are identical on every rank.
/// </summary>
public sealed class DdpStateScenario : DdpScenario
{
    public override string Name => "ddp-state";

    protected override void Run(ProcessGroup group, string[] args)
    {
        int rank = group.rank();
        using var model = DdpModels.CnnWithBatchNorm.Build(200 + rank);
        using var ddp = new DistributedDataParallel(model, group);
        using var optimizer = optim.SGD(ddp.parameters(), 0.05);
        manual_seed(300 + rank);
        for (var step = 0; step < 50; step++)
        {
            using var scope = NewDisposeScope();
            var (x, y) = DdpModels.CnnWithBatchNorm.Batch(300 + 50 * rank + step, 4);
            if (step % 2 == 0) ddp.zero_grad();
            else optimizer.zero_grad();
            nn.functional.cross_entropy(ddp.call(x), y).backward();
            optimizer.step();
        }
        Check.That(Differences(group, ddp.parameters()) == 0, "the parameters are identical to rank 0's after 50 steps");

        var before = Differences(group, ddp.buffers());
        Check.That(rank == 0 ? before == 0 : before > 0, $"before the forward, rank {rank}'s running statistics differ from rank 0's by {before}");
        using (var scope = NewDisposeScope())
        {
            var (x, _) = DdpModels.CnnWithBatchNorm.Batch(400, 4); // the same input everywhere
            ddp.call(x);
        }
        var after = Differences(group, ddp.buffers());
        Check.That(after == 0, $"after a training forward the buffers differ from rank 0's by {after}");
        Console.WriteLine($"rank {rank}: parameters identical to rank 0's after 50 steps, buffers identical after a training forward");
    }

    // The largest difference of this rank's tensors (flattened, in order) from rank 0's; the same collectives on every rank.
    private static double Differences(ProcessGroup group, IEnumerable<Tensor> tensors)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var flat = cat(tensors.Select(t => t.to(ScalarType.Float64).reshape(-1)).ToArray());
        var theirs = flat.clone();
        group.broadcast(theirs, 0);
        return (flat - theirs).abs().max().item<double>();
    }
}
