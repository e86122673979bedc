using DistTrain.Parallel;
using TorchSharp;
using static TorchSharp.torch;

namespace DistTrain.Distributed.TestWorker.Ddp;

/// <summary>
/// <c>ddp-frozen &lt;steps&gt;</c>: the BatchNorm CNN with its conv and bn layers frozen by name (<c>freeze("conv.*", "bn.*")</c>)
/// before DDP wraps it, trained with SGD (momentum, weight decay) over every parameter, frozen ones included. Checks
/// that DDP's buckets hold exactly the trainable parameters, that no frozen parameter ever gets a gradient (none is
/// reduced), that frozen parameters are bitwise what rank 0 started with, and that the head changed and is the same
/// on every rank.
/// </summary>
public sealed class DdpFrozenScenario : DdpScenario
{
    public override string Name => "ddp-frozen";

    protected override void Run(ProcessGroup group, string[] args)
    {
        var steps = int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture);
        var model = DdpModels.CnnWithBatchNorm;
        int rank = group.rank(), world = group.size();
        using var net = model.Build(100 + rank);
        var frozen = net.freeze("conv.*", "bn.*");
        using var ddp = new DistributedDataParallel(net, group);
        var trainable = net.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).ToArray();
        var bucketed = ddp.BucketParameterNames.SelectMany(b => b).Order(StringComparer.Ordinal).ToArray();
        Check.That(bucketed.SequenceEqual(trainable.Order(StringComparer.Ordinal)),
            $"the buckets hold [{string.Join(", ", bucketed)}], the trainable parameters are [{string.Join(", ", trainable)}]");
        Check.That(frozen.Frozen.All(f => !bucketed.Contains(f)), "no frozen parameter is in a bucket");

        var start = net.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        using var optimizer = optim.SGD(net.parameters(), 0.1, momentum: 0.9, weight_decay: 0.01);
        for (var step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            var (x, y) = model.Batch(1000 + step, 4 * world);
            optimizer.zero_grad();
            model.Loss(ddp.call(DdpModels.Shard(x, rank, 4)), DdpModels.Shard(y, rank, 4)).backward();
            foreach (var name in frozen.Frozen)
                Check.That(net.get_parameter(name)!.grad is null, $"step {step}: frozen {name} got a gradient");
            optimizer.step();
        }

        var parameters = net.named_parameters().ToArray();
        foreach (var (name, p) in parameters.Where(p => frozen.Frozen.Contains(p.name)))
            Check.That(Check.Same(p.detach(), start[name]), $"frozen {name} changed in {steps} steps");
        foreach (var (name, p) in parameters.Where(p => !frozen.Frozen.Contains(p.name)))
            Check.That(!Check.Same(p.detach(), start[name]), $"trainable {name} did not change in {steps} steps");
        var differing = ReplicaCheck.DifferFromRankZero(group, parameters.Select(p => (p.name, (Tensor)p.parameter)));
        Check.That(differing.Length == 0, $"rank {rank}'s {string.Join(", ", differing)} differ from rank 0's");
        Console.WriteLine($"rank {rank}: {frozen.Frozen.Count} frozen parameters outside the {ddp.BucketBytes.Count} bucket(s), never given a gradient and bitwise unchanged after {steps} steps; {trainable.Length} trained ones changed and equal on every rank");
    }
}
