using System.Globalization;
using DistTrain.Parallel;
using TorchSharp;
using static TorchSharp.torch;

namespace DistTrain.Distributed.TestWorker.Ddp;

/// <summary>
/// <c>ddp-course &lt;loss&gt; &lt;optimizer&gt; [dropout] &lt;steps&gt;</c>: the losses and optimizers of deep-learning courses
/// under DDP on one seeded batch repeated each step. Losses: <c>mse</c> (regression), <c>bce</c> (BCE with logits on
/// 0/1 targets), <c>ce</c> (cross-entropy over 3 classes). Optimizers: <c>sgd</c>, <c>momentum</c> (SGD 0.9),
/// <c>sgd-wd</c> (SGD with weight decay), <c>adam</c>, <c>adamw</c> (decoupled weight decay). Every rank starts
/// from its own initialisation; after the steps its weights must equal rank 0's bit for bit and the loss must have
/// fallen. Without dropout they must also equal a single process trained on the whole batch; with <c>dropout</c>
/// (p = 0.2 after the hidden layer, each rank its own masks) there is no such reference and the two other checks stand.
/// </summary>
public sealed class DdpCourseScenario : DdpScenario
{
    public override string Name => "ddp-course";

    protected override void Run(ProcessGroup group, string[] args)
    {
        var (loss, optimizerName) = (args[0], args[1]);
        var dropout = args.Length > 3 && args[2] == "dropout";
        var steps = int.Parse(args[^1], CultureInfo.InvariantCulture);
        int rank = group.rank(), world = group.size();
        const long perRank = 4;
        var (outputs, criterion) = Loss(loss);

        using var local = Build(100 + rank, outputs, dropout);
        using var ddp = new DistributedDataParallel(local, group);
        using var reference = Build(100, outputs, dropout);
        using var optimizer = Optimizer(optimizerName, ddp.parameters());
        using var referenceOptimizer = Optimizer(optimizerName, reference.parameters());
        manual_seed(7);
        var x = randn(perRank * world, 6);
        var y = loss switch
        {
            "mse" => randn(perRank * world, outputs),
            "bce" => randint(2, [perRank * world, outputs]).to(float32),
            _ => randint(outputs, [perRank * world]),
        };
        manual_seed(1000 + rank); // each rank's own dropout masks
        double first = 0, last = 0;
        for (var step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var value = criterion(ddp.call(DdpModels.Shard(x, rank, perRank)), DdpModels.Shard(y, rank, perRank));
            value.backward();
            optimizer.step();
            if (step == 0) first = value.item<float>();
            last = value.item<float>();
            if (dropout) continue;
            referenceOptimizer.zero_grad();
            criterion(reference.call(x), y).backward();
            referenceOptimizer.step();
        }

        var named = local.named_parameters().Select(p => (p.name, (Tensor)p.parameter)).ToArray();
        var differing = ReplicaCheck.DifferFromRankZero(group, named);
        Check.That(differing.Length == 0, $"{loss}/{optimizerName}: rank {rank}'s {string.Join(", ", differing)} differ from rank 0's");
        Check.That(last < first, $"{loss}/{optimizerName}: the loss went from {first} to {last} in {steps} steps");
        var versus = "no single-process reference (dropout)";
        if (!dropout)
        {
            var (difference, where) = Check.WorstDifference(named, DdpModels.Parameters(reference));
            Check.That(difference <= Tolerance, $"{loss}/{optimizerName}: after {steps} steps {where} differs from the single process's by {difference}");
            versus = FormattableString.Invariant($"equal to one process on the whole batch (max difference {difference:E1})");
        }
        Console.WriteLine(FormattableString.Invariant(
            $"rank {rank}: {loss} + {optimizerName}{(dropout ? " + dropout" : "")}: loss {first:F4} -> {last:F4} in {steps} steps; weights equal on every rank, {versus}"));
    }

    // 6 → 16 → ReLU → [Dropout] → outputs; seeded.
    private static nn.Module<Tensor, Tensor> Build(long seed, long outputs, bool dropout)
    {
        manual_seed(seed);
        var layers = new List<(string, nn.Module<Tensor, Tensor>)> { ("fc1", nn.Linear(6, 16)), ("relu", nn.ReLU()) };
        if (dropout) layers.Add(("dropout", nn.Dropout(0.2)));
        layers.Add(("fc2", nn.Linear(16, outputs)));
        return nn.Sequential(layers);
    }

    private static (long Outputs, Func<Tensor, Tensor, Tensor> Criterion) Loss(string name) => name switch
    {
        "mse" => (2, (o, y) => nn.functional.mse_loss(o, y)),
        "bce" => (1, (o, y) => nn.functional.binary_cross_entropy_with_logits(o, y)),
        "ce" => (3, (o, y) => nn.functional.cross_entropy(o, y)),
        _ => throw new ArgumentException($"unknown loss '{name}': mse, bce or ce"),
    };

    private static optim.Optimizer Optimizer(string name, IEnumerable<TorchSharp.Modules.Parameter> parameters) => name switch
    {
        "sgd" => optim.SGD(parameters, 0.05),
        "momentum" => optim.SGD(parameters, 0.05, momentum: 0.9),
        "sgd-wd" => optim.SGD(parameters, 0.05, momentum: 0.9, weight_decay: 0.01),
        "adam" => optim.Adam(parameters, 0.01),
        "adamw" => optim.AdamW(parameters, 0.01, weight_decay: 0.05),
        _ => throw new ArgumentException($"unknown optimizer '{name}': sgd, momentum, sgd-wd, adam or adamw"),
    };
}
