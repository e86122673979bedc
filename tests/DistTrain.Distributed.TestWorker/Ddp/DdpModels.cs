using TorchSharp;
using static TorchSharp.torch;

namespace DistTrain.Distributed.TestWorker.Ddp;

/// <summary>
/// One model the DDP scenarios train: how to build it from a seed (every rank with the same seed builds
/// the same), a seeded batch, its loss, and whether it normalises with batch statistics (then the
/// single-process reference runs each rank's shard separately and averages, see the note's "Exactness").
/// </summary>
internal sealed record DdpModel(
    string Name,
    Func<long, nn.Module<Tensor, Tensor>> Build,
    Func<long, long, (Tensor X, Tensor Y)> Batch,
    Func<Tensor, Tensor, Tensor> Loss,
    bool BatchStatistics);

/// <summary>Small models and seeded data for the DDP scenarios.</summary>
internal static class DdpModels
{
    /// <summary>8 → 16 → 16 → 4 with ReLU and Tanh (MSE).</summary>
    public static readonly DdpModel Mlp = new("mlp", seed =>
    {
        manual_seed(seed);
        return nn.Sequential(("fc1", nn.Linear(8, 16)), ("relu", nn.ReLU()), ("fc2", nn.Linear(16, 16)), ("tanh", nn.Tanh()), ("fc3", nn.Linear(16, 4)));
    }, Regression(8, 4), (o, y) => nn.functional.mse_loss(o, y), BatchStatistics: false);

    /// <summary>Conv 1→4 (3×3) → BatchNorm2d → ReLU → max-pool → 36 → 5 classes on 8×8 images (cross-entropy).</summary>
    public static readonly DdpModel CnnWithBatchNorm = new("cnn-bn", seed =>
    {
        manual_seed(seed);
        return nn.Sequential(("conv", nn.Conv2d(1, 4, 3)), ("bn", nn.BatchNorm2d(4)), ("relu", nn.ReLU()), ("pool", nn.MaxPool2d(2)),
            ("flatten", nn.Flatten()), ("fc", nn.Linear(36, 5)));
    }, Images(1, 8, 5), (o, y) => nn.functional.cross_entropy(o, y), BatchStatistics: true);

    /// <summary>TorchVision's resnet18 with 4 classes on 32×32 RGB images (cross-entropy); BatchNorm throughout.</summary>
    public static readonly DdpModel ResNet18 = new("resnet18", seed =>
    {
        manual_seed(seed);
        return torchvision.models.resnet18(num_classes: 4);
    }, Images(3, 32, 4), (o, y) => nn.functional.cross_entropy(o, y), BatchStatistics: true);

    /// <summary>8 → 8 → Tanh → 8 whose decoder's weight is the encoder's (one parameter used twice).</summary>
    public static readonly DdpModel Tied = new("tied", seed => new TiedWeights(seed), Regression(8, 8), (o, y) => nn.functional.mse_loss(o, y), BatchStatistics: false);

    /// <summary>Every model by name.</summary>
    public static DdpModel Named(string name) => new[] { Mlp, CnnWithBatchNorm, ResNet18, Tied }.SingleOrDefault(m => m.Name == name)
        ?? throw new ArgumentException($"unknown model '{name}'");

    /// <summary>Bucket caps in MiB small enough to split <see cref="Mlp"/>'s 1.9 KiB of gradients into several buckets.</summary>
    public const double FirstBucketMb = 0.0005, BucketMb = 0.001;

    /// <summary>Rows [block·n, (block + 1)·n) of <paramref name="t"/>.</summary>
    public static Tensor Shard(Tensor t, int block, long n) => t.narrow(0, block * n, n);

    /// <summary>Every parameter's gradient by name (failing when one has none).</summary>
    public static Dictionary<string, Tensor> Gradients(nn.Module module) =>
        module.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad ?? throw new CheckFailedException($"check failed: {p.name} has no gradient"));

    /// <summary>Every parameter by name.</summary>
    public static Dictionary<string, Tensor> Parameters(nn.Module module) =>
        module.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);

    private static Func<long, long, (Tensor, Tensor)> Regression(long inputs, long outputs) => (seed, rows) =>
    {
        manual_seed(seed);
        return (randn(rows, inputs), randn(rows, outputs));
    };

    private static Func<long, long, (Tensor, Tensor)> Images(long channels, long side, long classes) => (seed, rows) =>
    {
        manual_seed(seed);
        return (randn(rows, channels, side, side), randint(classes, [rows]));
    };

    /// <summary>enc: Linear(8, 8); dec: Linear(8, 8) sharing enc's weight; out = dec(tanh(enc(x))).</summary>
    private sealed class TiedWeights : nn.Module<Tensor, Tensor>
    {
        private readonly TorchSharp.Modules.Linear enc, dec;

        public TiedWeights(long seed) : base(nameof(TiedWeights))
        {
            manual_seed(seed);
            enc = nn.Linear(8, 8);
            dec = nn.Linear(8, 8);
            dec.weight = enc.weight;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input) => dec.call(enc.call(input).tanh());
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
