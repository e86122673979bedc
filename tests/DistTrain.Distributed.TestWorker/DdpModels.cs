using DistTrain.Torch;
using static DistTrain.Torch.torch;

namespace DistTrain.Distributed.TestWorker;

/// <summary>Small models and seeded data for the DDP scenarios (every rank builds the same from the same seeds).</summary>
internal static class DdpModels
{
    /// <summary>8 → 16 → 16 → 4 with ReLU and Tanh; its gradients fill two buckets at the caps <see cref="SmallBuckets"/> uses.</summary>
    public static nn.Module<Tensor, Tensor> Mlp(long seed)
    {
        manual_seed(seed);
        return nn.Sequential(("fc1", nn.Linear(8, 16)), ("relu", nn.ReLU()), ("fc2", nn.Linear(16, 16)), ("tanh", nn.Tanh()), ("fc3", nn.Linear(16, 4)));
    }

    /// <summary>8 → 16 → BatchNorm → ReLU → 4: a model with buffers (running statistics).</summary>
    public static nn.Module<Tensor, Tensor> WithBatchNorm(long seed)
    {
        manual_seed(seed);
        return nn.Sequential(("fc1", nn.Linear(8, 16)), ("bn", nn.BatchNorm1d(16)), ("relu", nn.ReLU()), ("fc2", nn.Linear(16, 4)));
    }

    /// <summary>Bucket caps in MiB small enough to split <see cref="Mlp"/>'s 1.9 KiB of gradients into two buckets.</summary>
    public const double FirstBucketMb = 0.0005, BucketMb = 0.001;

    /// <summary><paramref name="rows"/> inputs [rows, 8] and targets [rows, 4], the same on every rank for the same seed.</summary>
    public static (Tensor X, Tensor Y) Batch(long seed, long rows)
    {
        manual_seed(seed);
        return (randn(rows, 8), randn(rows, 4));
    }

    /// <summary>Rows [rank·n, (rank + 1)·n) of <paramref name="t"/>.</summary>
    public static Tensor Shard(Tensor t, int rank, long n) => t.narrow(0, rank * n, n);

    /// <summary>The largest absolute difference between the gradients of same-named parameters.</summary>
    public static double MaxGradientDifference(nn.Module a, nn.Module b)
    {
        var theirs = b.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        double worst = 0;
        foreach (var (name, p) in a.named_parameters())
        {
            using var ga = p.grad ?? throw new InvalidOperationException($"{name} has no gradient");
            using var gb = theirs[name].grad ?? throw new InvalidOperationException($"reference {name} has no gradient");
            using var diff = (ga - gb).abs().max();
            worst = Math.Max(worst, diff.item<float>());
        }
        return worst;
    }

    /// <summary>A model with a layer its forward never uses ("unused"), for the unused-parameter error.</summary>
    public sealed class PartlyUsed : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> used, unused;

        public PartlyUsed(long seed) : base(nameof(PartlyUsed))
        {
            manual_seed(seed);
            used = nn.Linear(8, 4);
            unused = nn.Linear(8, 4);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input) => used.call(input);
    }

    /// <summary>
    /// "always" is used on every rank, "rank0" only where <c>useRankZeroLayer</c> (rank 0), "never" nowhere:
    /// for findUnusedParameters, whose reduction counts an unused parameter as a zero gradient.
    /// </summary>
    public sealed class SometimesUsed : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> always, rank0, never;
        private readonly bool useRankZeroLayer;

        public SometimesUsed(long seed, bool useRankZeroLayer) : base(nameof(SometimesUsed))
        {
            manual_seed(seed);
            always = nn.Linear(8, 4);
            rank0 = nn.Linear(8, 4);
            never = nn.Linear(8, 4);
            this.useRankZeroLayer = useRankZeroLayer;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input) => useRankZeroLayer ? always.call(input) + rank0.call(input) : always.call(input);
    }
}
