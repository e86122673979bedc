using System.Globalization;
using DistTrain.Parallel;
using TorchSharp;
using static TorchSharp.torch;

namespace DistTrain.Distributed.TestWorker.Ddp;

/// <summary>
/// <c>ddp-equivalence &lt;model&gt; &lt;steps&gt; &lt;rows per rank&gt; [float32|float64]</c>: every rank starts from its own
/// initialisation (so the start-up broadcast matters), trains the model with DDP and SGD with momentum on
/// its shard of a seeded global batch, and compares, after every step, its gradients with a single
/// process's, and after the last step its weights. The single process starts from rank 0's
/// initialisation and trains on the concatenated batch; for models with batch statistics it runs each
/// rank's shard separately and averages (BatchNorm normalises each rank's batch on its own). It also
/// checks that the gradient-ready self-check passed after the first backward (overlap on).
/// In float64 (model and data) the comparison also holds where float32 rounding, which differs between
/// 3 ranks and one process, is amplified by a model's conditioning (BatchNorm over a few samples).
/// </summary>
public sealed class DdpEquivalenceScenario : DdpScenario
{
    public override string Name => "ddp-equivalence";

    protected override void Run(ProcessGroup group, string[] args)
    {
        var model = DdpModels.Named(args[0]);
        var steps = int.Parse(args[1], CultureInfo.InvariantCulture);
        var perRank = long.Parse(args[2], CultureInfo.InvariantCulture);
        var dtype = args.Length > 3 && args[3] == "float64" ? ScalarType.Float64 : ScalarType.Float32;
        int rank = group.rank(), world = group.size();

        using var local = model.Build(100 + rank).to(dtype);
        // Small models get small buckets, so that several all-reduces overlap backward; resnet18 has several at the default caps.
        var small = model != DdpModels.ResNet18;
        using var ddp = small
            ? new DistributedDataParallel(local, group, bucketCapMb: 0.0002, firstBucketCapMb: 0.00003) // 209 B and 31 B
            : new DistributedDataParallel(local, group);
        Check.That(ddp.BucketBytes.Count >= 2, $"{model.Name}: expected several buckets, got {ddp.BucketBytes.Count}");
        using var reference = model.Build(100).to(dtype); // rank 0's initialisation
        var start = Check.MaxDifference(local.named_parameters().Select(p => (p.name, (Tensor)p.parameter)), DdpModels.Parameters(reference));
        Check.That(start == 0, $"after construction the parameters are rank 0's (they differ by {start})");
        Check.That(!ddp.OverlapsBackward, "before the first backward the self-check has not run");

        using var optimizer = optim.SGD(ddp.parameters(), 0.05, momentum: 0.9);
        using var referenceOptimizer = optim.SGD(reference.parameters(), 0.05, momentum: 0.9);
        double worstGradient = 0;
        for (var step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            var (x, y) = model.Batch(1000 + step, perRank * world);
            if (x.is_floating_point()) x = x.to(dtype);
            if (y.is_floating_point()) y = y.to(dtype);
            optimizer.zero_grad();
            model.Loss(ddp.call(DdpModels.Shard(x, rank, perRank)), DdpModels.Shard(y, rank, perRank)).backward();
            if (step == 0) Check.That(ddp.OverlapsBackward, $"{model.Name}: the gradient-ready self-check passed in the first backward");

            referenceOptimizer.zero_grad();
            var loss = model.BatchStatistics
                ? Enumerable.Range(0, world).Select(r => model.Loss(reference.call(DdpModels.Shard(x, r, perRank)), DdpModels.Shard(y, r, perRank)))
                    .Aggregate((a, b) => a + b) / world
                : model.Loss(reference.call(x), y);
            loss.backward();

            var (difference, where) = Check.WorstDifference(local.named_parameters().Select(p => (p.name, p.parameter.grad!)), DdpModels.Gradients(reference));
            Console.WriteLine(FormattableString.Invariant($"step {step}: gradients differ by {difference:E1} at most ({where})"));
            Check.That(difference <= Tolerance, $"{model.Name} step {step}: the DDP gradient of {where} differs from the single process's by {difference}");
            worstGradient = Math.Max(worstGradient, difference);
            optimizer.step();
            referenceOptimizer.step();
        }

        var (weights, worst) = Check.WorstDifference(local.named_parameters().Select(p => (p.name, (Tensor)p.parameter)), DdpModels.Parameters(reference));
        Check.That(weights <= Tolerance, $"{model.Name}: after {steps} steps the weights of {worst} differ from the single process's by {weights}");
        Check.That(ddp.OverlapsBackward, $"{model.Name}: gradients are still reduced during backward");
        Console.WriteLine(FormattableString.Invariant(
            $"rank {rank}: {model.Name} in {dtype}: gradients and weights after {steps} steps equal the single process's (max difference {worstGradient:E1} / {weights:E1}; {ddp.BucketBytes.Count} buckets, overlap on)"));
    }
}
