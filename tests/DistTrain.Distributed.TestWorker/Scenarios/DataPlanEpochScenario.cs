using DistTrain.Data;
using DistTrain.Protocol.DataPlan;
using static TorchSharp.torch;

namespace DistTrain.Distributed.TestWorker.Scenarios;

/// <summary>
/// data-plan-epoch: every rank registers the same plan with the coordinator and reads the epoch through
/// TorchSharp's DataLoader: the first <see cref="StepsBeforeCommit"/> steps, then rank 0 commits the
/// position, then every rank gets a new sampler from the coordinator (which must start at the committed
/// position) and reads the rest. Prints every id it read ("ids: …") for the test to check the union.
/// </summary>
public sealed class DataPlanEpochScenario : IScenario
{
    /// <summary>The dataset's size: not a multiple of the global batch nor of 2 or 3 ranks.</summary>
    public const long Size = 103;

    /// <summary>Steps read before the commit.</summary>
    public const int StepsBeforeCommit = 5;

    /// <summary>The plan both data plan scenarios register.</summary>
    internal static readonly DataPlanSpec Plan = new(seed: 21, Size, globalBatch: 8);

    public string Name => "data-plan-epoch";

    public int Run(string[] args)
    {
        using var context = Worker.Init();
        using var plans = DataPlanClient.FromEnvironment(context.Environment);
        var ids = new List<long>();

        var sampler = plans.SamplerAsync("train", Plan).GetAwaiter().GetResult();
        Check.That(sampler.Position == PlanPosition.Start, $"a new dataset starts at epoch 0, 0 consumed, not at {sampler.Position}");
        ids.AddRange(Read(sampler, StepsBeforeCommit));

        context.ProcessGroup.barrier(); // every rank trained the steps before the commit
        if (context.Rank == 0) plans.CommitAsync("train", sampler.Position).GetAwaiter().GetResult();
        context.ProcessGroup.barrier();

        var resumed = plans.SamplerAsync("train", Plan).GetAwaiter().GetResult();
        Check.That(resumed.Position == new PlanPosition(0, StepsBeforeCommit * Plan.GlobalBatch), $"the coordinator's position is {resumed.Position}");
        Console.WriteLine($"ok: resumed at {resumed.Position}");
        ids.AddRange(Read(resumed, int.MaxValue));
        Check.That(resumed.Position == new PlanPosition(1, 0), $"after the epoch the sampler is at {resumed.Position}");

        Console.WriteLine($"ids: {string.Join(",", ids)}");
        return 0;
    }

    // Loads up to `steps` batches through a DataLoader, advancing the sampler after each (one training step each).
    private static List<long> Read(DataPlanSampler sampler, int steps)
    {
        var read = new List<long>();
        using var loader = utils.data.DataLoader(new Ids(Size), sampler.batch_size, sampler);
        foreach (var batch in loader)
        {
            if (steps-- == 0) break;
            read.AddRange(batch["id"].data<long>().ToArray());
            sampler.Advance();
        }

        if (steps > 0 && sampler.StepCount == 1 && sampler.LocalSize(0) == 0) sampler.Advance(); // an empty last part: the step still counts
        return read;
    }

    private sealed class Ids(long count) : utils.data.Dataset
    {
        public override long Count => count;

        public override Dictionary<string, Tensor> GetTensor(long index) => new() { ["id"] = tensor(index) };
    }
}
