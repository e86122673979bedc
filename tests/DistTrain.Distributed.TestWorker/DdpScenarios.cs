using DistTrain.Parallel;
using DistTrain.Torch;
using DistTrain.Torch.Distributed;
using static DistTrain.Torch.torch;

namespace DistTrain.Distributed.TestWorker;

/// <summary>
/// DistributedDataParallel scenarios: each runs on every rank of a real multi-process group, checks
/// its claim on this rank and throws (failing the worker) when it does not hold.
/// </summary>
internal static class DdpScenarios
{
    private const double Tolerance = 1e-5;

    /// <summary>
    /// One DDP step (ranks initialised differently, so the start-up broadcast matters) gives every rank the
    /// gradient a single process computes on the concatenated global batch.
    /// </summary>
    public static void GradientsMatchSingleProcess(ProcessGroup group)
    {
        int rank = group.rank(), world = group.size();
        const long perRank = 4;
        using var scope = NewDisposeScope();
        using var model = DdpModels.Mlp(seed: 100 + rank);
        using var ddp = new DistributedDataParallel(model, group, bucketCapMb: DdpModels.BucketMb, firstBucketCapMb: DdpModels.FirstBucketMb);
        Check.That(ddp.BucketBytes.Count >= 2, $"expected several buckets, got {ddp.BucketBytes.Count}");
        var (x, y) = DdpModels.Batch(seed: 7, rows: perRank * world);
        nn.functional.mse_loss(ddp.call(DdpModels.Shard(x, rank, perRank)), DdpModels.Shard(y, rank, perRank)).backward();

        using var reference = DdpModels.Mlp(seed: 100); // rank 0's initialisation
        nn.functional.mse_loss(reference.call(x), y).backward();
        var difference = DdpModels.MaxGradientDifference(model, reference);
        Check.That(difference <= Tolerance, $"DDP gradient differs from the single-process gradient by {difference}");
        Console.WriteLine($"rank {rank}: gradients match the single-process gradient (max difference {difference:E2})");
    }

    /// <summary>
    /// After 50 steps on different data per rank (with BatchNorm, and gradients set to none every other step),
    /// every rank's parameters are bit-identical to rank 0's, and a training forward brings the buffers in line.
    /// </summary>
    public static void ParametersIdenticalAfterTraining(ProcessGroup group)
    {
        int rank = group.rank();
        using var model = DdpModels.WithBatchNorm(seed: 200 + rank);
        using var ddp = new DistributedDataParallel(model, group);
        var parameters = ddp.parameters().ToArray();
        manual_seed(300 + rank);
        for (var step = 0; step < 50; step++)
        {
            using var scope = NewDisposeScope();
            var x = randn(6, 8);
            var y = randn(6, 4);
            ddp.zero_grad(set_to_none: step % 2 == 0);
            nn.functional.mse_loss(ddp.call(x), y).backward();
            using (no_grad())
                foreach (var p in parameters)
                    using (var g = p.grad!) p.sub_(g, alpha: 0.05);
        }
        RequireSameAsRankZero(group, "parameters", ddp.parameters());

        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            manual_seed(400); // the same input on every rank: after the broadcast, the same update everywhere
            ddp.call(randn(6, 8));
        }
        RequireSameAsRankZero(group, "buffers", ddp.buffers());
        Console.WriteLine($"rank {rank}: parameters and buffers identical to rank 0's after 50 steps");
    }

    /// <summary>
    /// k micro-batches accumulated under no_sync, then one synchronised backward, give the gradient of one
    /// large batch (all ranks' micro-batches together); twice, starting from gradients set to none and from zeroed ones.
    /// </summary>
    public static void NoSyncAccumulationMatchesLargeBatch(ProcessGroup group)
    {
        int rank = group.rank(), world = group.size();
        const int k = 3;
        const long micro = 2;
        using var model = DdpModels.Mlp(seed: 500);
        using var ddp = new DistributedDataParallel(model, group, bucketCapMb: DdpModels.BucketMb, firstBucketCapMb: DdpModels.FirstBucketMb);
        using var reference = DdpModels.Mlp(seed: 500);
        for (var round = 0; round < 2; round++)
        {
            using var scope = NewDisposeScope();
            var (x, y) = DdpModels.Batch(seed: 600 + round, rows: k * micro * world);
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
            var difference = DdpModels.MaxGradientDifference(model, reference);
            Check.That(difference <= Tolerance, $"round {round}: accumulated gradient differs from the large batch's by {difference}");
        }
        Console.WriteLine($"rank {rank}: no_sync accumulation over {k} micro-batches equals one large batch");
    }

    /// <summary>A parameter that gets no gradient makes backward fail on every rank with a message naming it (no hang).</summary>
    public static void UnusedParameterIsNamed(ProcessGroup group)
    {
        using var model = new DdpModels.PartlyUsed(seed: 700);
        using var ddp = new DistributedDataParallel(model, group);
        using var scope = NewDisposeScope();
        var (x, y) = DdpModels.Batch(seed: 701, rows: 4);
        try
        {
            nn.functional.mse_loss(ddp.call(x), y).backward();
        }
        catch (TorchException e)
        {
            Console.WriteLine($"rank {group.rank()}: backward failed: {e.Message}");
            Check.That(e.Message.Contains("unused.weight") && e.Message.Contains("unused.bias"), "the error does not name unused.weight and unused.bias");
            Check.That(!e.Message.Contains(": used.") && !e.Message.Contains(", used."), "the error names a parameter that did receive a gradient");
            return;
        }
        throw new InvalidOperationException("backward succeeded although a parameter received no gradient");
    }

    /// <summary>
    /// With findUnusedParameters, backward succeeds and every gradient is the average over the ranks of each
    /// rank's own gradient, counting zero where a rank did not use the parameter: "rank0" (used on rank 0 only)
    /// gets rank 0's gradient divided by the world size, "never" gets exactly zero. Two steps, the first from
    /// gradients set to none, the second from zeroed ones.
    /// </summary>
    public static void FindUnusedParametersCountsThemAsZero(ProcessGroup group)
    {
        int rank = group.rank(), world = group.size();
        const long perRank = 3;
        using var model = new DdpModels.SometimesUsed(seed: 900, useRankZeroLayer: rank == 0);
        using var ddp = new DistributedDataParallel(model, group, findUnusedParameters: true);
        for (var step = 0; step < 2; step++)
        {
            using var scope = NewDisposeScope();
            var (x, y) = DdpModels.Batch(seed: 901 + step, rows: perRank * world);
            ddp.zero_grad(set_to_none: step == 0);
            nn.functional.mse_loss(ddp.call(DdpModels.Shard(x, rank, perRank)), DdpModels.Shard(y, rank, perRank)).backward();

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
            foreach (var (name, p) in model.named_parameters())
            {
                using var g = p.grad ?? throw new InvalidOperationException($"step {step}: {name} has no gradient");
                var difference = (g - expected[name]).abs().max().item<float>();
                Check.That(difference <= Tolerance, $"step {step}: {name}'s gradient differs from the average with zeros by {difference}");
            }
            using var never = model.named_parameters().Single(p => p.name == "never.weight").parameter.grad!;
            Check.That(never.abs().max().item<float>() == 0, $"step {step}: never.weight's gradient is not zero");
        }
        Console.WriteLine($"rank {rank}: findUnusedParameters averaged with zeros for the unused parameters over 2 steps");
    }

    /// <summary>
    /// Ranks train in a loop; the last rank kills itself at step 5. Every other rank must fail with an error
    /// (not hang): the scenario prints it and exits with code 3, which the test expects.
    /// </summary>
    public static int PeerKilledMidTraining(ProcessGroup group)
    {
        int rank = group.rank(), world = group.size();
        using var model = DdpModels.Mlp(seed: 800);
        using var ddp = new DistributedDataParallel(model, group);
        manual_seed(801 + rank);
        for (var step = 0; step < 10_000; step++)
        {
            if (rank == world - 1 && step == 5)
            {
                Console.WriteLine($"rank {rank}: killing myself at step {step}");
                Console.Out.Flush();
                System.Diagnostics.Process.GetCurrentProcess().Kill();
            }
            try
            {
                using var scope = NewDisposeScope();
                ddp.zero_grad();
                nn.functional.mse_loss(ddp.call(randn(4, 8)), randn(4, 4)).backward();
            }
            catch (Exception e)
            {
                Console.WriteLine($"rank {rank}: training failed at step {step}: {e.GetType().Name}: {e.Message}");
                return 3;
            }
        }
        Console.WriteLine($"rank {rank}: training finished although a peer died");
        return 0;
    }

    // Compares this rank's tensors (flattened, in order) with rank 0's, exactly.
    private static void RequireSameAsRankZero(ProcessGroup group, string what, IEnumerable<Tensor> tensors)
    {
        using var scope = NewDisposeScope();
        var flat = cat(tensors.Select(t => t.to(ScalarType.Float64).reshape(-1)).ToArray());
        var theirs = flat.clone();
        group.broadcast(theirs, 0);
        var difference = (flat - theirs).abs().max().item<double>();
        Check.That(difference == 0, $"{what} differ from rank 0's by up to {difference}");
    }
}
