using DistTrain.Data;
using DistTrain.Parallel;
using DistTrain.Protocol.DataPlan;
using static TorchSharp.torch;

namespace DistTrain.Distributed.TestWorker.Ddp;

/// <summary>
/// ddp-data-plan: an epoch of 11 samples in global steps of 3 on 3 ranks, so the last step has 2 samples
/// and rank 2's part of it is empty. Every rank runs every step (rank 2 the last on an empty batch) with a
/// sum-reduced loss scaled by world size / the step's global size, as the runtime README says; the
/// weights must then equal a single process's that trains on each whole step with the mean loss.
/// </summary>
public sealed class DdpDataPlanScenario : DdpScenario
{
    private static readonly DataPlanSpec Plan = new(seed: 4, size: 11, globalBatch: 3);

    public override string Name => "ddp-data-plan";

    protected override void Run(ProcessGroup group, string[] args)
    {
        int rank = group.rank(), world = group.size();
        manual_seed(5);
        using var x = randn(Plan.Size, 8);
        using var y = randn(Plan.Size, 4);
        using var local = DdpModels.Mlp.Build(100 + rank);
        using var ddp = new DistributedDataParallel(local, group);
        using var reference = DdpModels.Mlp.Build(100);
        using var optimizer = optim.SGD(ddp.parameters(), 0.1);
        using var referenceOptimizer = optim.SGD(reference.parameters(), 0.1);

        var sampler = new DataPlanSampler(Plan, world, rank);
        var steps = sampler.StepCount;
        var emptySteps = 0;
        var order = Plan.Order(0);
        for (var step = 0L; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            var ids = sampler.StepIds(0);
            if (ids.Length == 0) emptySteps++;
            var global = sampler.GlobalSize(0);
            optimizer.zero_grad();
            var mine = tensor(ids);
            var loss = nn.functional.mse_loss(ddp.call(x.index_select(0, mine)), y.index_select(0, mine), nn.Reduction.Sum) * world / global;
            loss.backward();
            optimizer.step();

            var all = tensor(Enumerable.Range(0, (int)global).Select(i => order[step * Plan.GlobalBatch + i]).ToArray());
            referenceOptimizer.zero_grad();
            (nn.functional.mse_loss(reference.call(x.index_select(0, all)), y.index_select(0, all), nn.Reduction.Sum) / global).backward();
            referenceOptimizer.step();
            sampler.Advance();
        }

        var (difference, where) = Check.WorstDifference(local.named_parameters().Select(p => (p.name, (Tensor)p.parameter)), DdpModels.Parameters(reference));
        Check.That(difference <= Tolerance, $"after the epoch the weights of {where} differ from the single process's by {difference}");
        Check.That(sampler.Position == new PlanPosition(1, 0), $"after the epoch the sampler is at {sampler.Position}");
        Console.WriteLine($"ok: rank {rank} ran {steps} steps, {emptySteps} of them on an empty batch; weights equal the single process's");
    }
}
