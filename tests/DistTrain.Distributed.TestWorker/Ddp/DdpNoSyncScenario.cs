using DistTrain.Parallel;
using static TorchSharp.torch;

namespace DistTrain.Distributed.TestWorker.Ddp;

/// <summary>
/// k micro-batches accumulated under no_sync, then one synchronised backward, give the gradient of one
/// large batch (all ranks' micro-batches together); twice, starting from gradients set to none and from zeroed ones.
/// </summary>
public sealed class DdpNoSyncScenario : DdpScenario
{
    public override string Name => "ddp-no-sync";

    protected override void Run(ProcessGroup group, string[] args)
    {
        int rank = group.rank(), world = group.size();
        const int k = 3;
        const long micro = 2;
        using var model = DdpModels.Mlp.Build(500);
        using var ddp = new DistributedDataParallel(model, group, bucketCapMb: DdpModels.BucketMb, firstBucketCapMb: DdpModels.FirstBucketMb);
        using var reference = DdpModels.Mlp.Build(500);
        for (var round = 0; round < 2; round++)
        {
            using var scope = NewDisposeScope();
            var (x, y) = DdpModels.Mlp.Batch(600 + round, k * micro * world);
            ddp.zero_grad(set_to_none: round == 0);
            for (var m = 0; m < k; m++)
            {
                // Rank r's micro-batch m: rows of block (m · world + r).
                var xs = DdpModels.Shard(x, m * world + rank, micro);
                var ys = DdpModels.Shard(y, m * world + rank, micro);
                var loss = nn.functional.mse_loss(ddp.call(xs), ys) / k;
                if (m < k - 1)
                    using (ddp.no_sync()) loss.backward();
                else
                    loss.backward();
            }
            reference.zero_grad();
            nn.functional.mse_loss(reference.call(x), y).backward();
            var difference = Check.MaxDifference(model.named_parameters().Select(p => (p.name, p.parameter.grad!)), DdpModels.Gradients(reference));
            Check.That(difference <= Tolerance, $"round {round}: accumulated gradient differs from the large batch's by {difference}");
        }
        Console.WriteLine($"rank {rank}: no_sync accumulation over {k} micro-batches equals one large batch");
    }
}
