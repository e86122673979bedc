using DistTrain.Parallel;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace DistTrain.Distributed.TestWorker.Ddp;

/// <summary>
/// Communication overlaps backward: a three-layer MLP whose layers fill one bucket each has a probe
/// between its first layer and the rest, an identity whose backward runs after the last two layers'
/// gradients and before the first layer's. In the first backward (the self-check, which reduces at the
/// end) the probe sees no all-reduce launched; in every later one it sees the two buckets of the later
/// layers launched while backward still runs (the first layer's bucket waits for the end). The gradients
/// equal a single process's on the concatenated batch in every step.
/// </summary>
public sealed class DdpOverlapScenario : DdpScenario
{
    public override string Name => "ddp-overlap";

    protected override void Run(ProcessGroup group, string[] args)
    {
        int rank = group.rank(), world = group.size();
        const long perRank = 4;
        var probe = new Probe();
        using var local = Model(400, probe);
        // Caps: fc3 (528 B) closes the first bucket at 524 B, fc2 (4,224 B) and fc1 (1,152 B) one each at 1,048 B.
        using var ddp = new DistributedDataParallel(local, group, bucketCapMb: 0.001, firstBucketCapMb: 0.0005);
        var buckets = ddp.BucketParameterNames.Select(b => string.Join(",", b.Order())).ToArray();
        Check.That(buckets.SequenceEqual(["fc3.bias,fc3.weight", "fc2.bias,fc2.weight", "fc1.bias,fc1.weight"]), $"one bucket per layer, last layer first: {string.Join(" | ", buckets)}");
        using var reference = Model(400, new Probe());
        probe.Observe = () => ddp.BucketsLaunched;

        for (var step = 0; step < 3; step++)
        {
            using var scope = NewDisposeScope();
            var (x, y) = DdpModels.Mlp.Batch(410 + step, perRank * world);
            ddp.zero_grad(set_to_none: false);
            probe.Seen = -1;
            nn.functional.mse_loss(ddp.call(DdpModels.Shard(x, rank, perRank)), DdpModels.Shard(y, rank, perRank)).backward();
            var expected = step == 0 ? 0 : 2;
            Check.That(probe.Seen == expected, $"step {step}: mid-backward {probe.Seen} bucket all-reduce(s) had been launched, expected {expected}");
            Console.WriteLine($"step {step}: {probe.Seen} of {buckets.Length} buckets launched before backward reached the first layer");

            reference.zero_grad();
            nn.functional.mse_loss(reference.call(x), y).backward();
            var difference = Check.MaxDifference(local.named_parameters().Select(p => (p.name, p.parameter.grad!)), DdpModels.Gradients(reference));
            Check.That(difference <= Tolerance, $"step {step}: the DDP gradient differs from the single process's by {difference}");
        }
        Check.That(ddp.OverlapsBackward, "the self-check passed");
        Console.WriteLine($"rank {rank}: all-reduces of 2 of 3 buckets launched while backward still ran");
    }

    private static nn.Module<Tensor, Tensor> Model(long seed, Probe probe)
    {
        manual_seed(seed);
        return nn.Sequential(("fc1", nn.Linear(8, 32)), ("probe", new ProbeModule(probe)), ("relu", nn.ReLU()),
            ("fc2", nn.Linear(32, 32)), ("tanh", nn.Tanh()), ("fc3", nn.Linear(32, 4)));
    }

    /// <summary>What the probe saw: the value of <see cref="Observe"/> when backward passed it.</summary>
    private sealed class Probe
    {
        public Func<int> Observe = () => -1;
        public int Seen = -1;
    }

    private sealed class ProbeModule(Probe probe) : nn.Module<Tensor, Tensor>("probe")
    {
        public override Tensor forward(Tensor input) => ProbeFunction.apply(input, probe);
    }

    private sealed class ProbeFunction : SingleTensorFunction<ProbeFunction>
    {
        public override string Name => "DdpOverlapProbe";

        public override Tensor forward(AutogradContext ctx, params object[] vars)
        {
            ctx.save_data("probe", vars[1]);
            return ((Tensor)vars[0]).alias();
        }

        public override List<Tensor> backward(AutogradContext ctx, Tensor grad_output)
        {
            var probe = (Probe)ctx.get_data("probe");
            try { probe.Seen = probe.Observe(); }
            catch (Exception) { probe.Seen = -2; } // nothing may escape into the engine
            return [grad_output, null!];
        }
    }
}
