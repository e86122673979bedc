using DistTrain.Distributed.TestWorker.Ddp;
using DistTrain.Parallel;
using static TorchSharp.torch;

namespace DistTrain.Distributed.TestWorker.Training;

/// <summary>What the Trainer scenarios share: DdpModels' MLP (seed 500) under DDP with SGD, and a single-process twin to compare with.</summary>
internal sealed class TrainerScenarioSetup : IDisposable
{
    public TrainerScenarioSetup(ProcessGroup group, double learningRate)
    {
        Group = group;
        Model = DdpModels.Mlp.Build(500);
        Ddp = new DistributedDataParallel(Model, group, bucketCapMb: DdpModels.BucketMb, firstBucketCapMb: DdpModels.FirstBucketMb);
        Optimizer = optim.SGD(Model.parameters(), learningRate);
        Reference = DdpModels.Mlp.Build(500);
        ReferenceOptimizer = optim.SGD(Reference.parameters(), learningRate);
    }

    public ProcessGroup Group { get; }
    public int Rank => Group.rank();
    public int World => Group.size();
    public nn.Module<Tensor, Tensor> Model { get; }
    public DistributedDataParallel Ddp { get; }
    public optim.Optimizer Optimizer { get; }
    /// <summary>The same model trained by one process on every rank's data.</summary>
    public nn.Module<Tensor, Tensor> Reference { get; }
    public optim.Optimizer ReferenceOptimizer { get; }

    public static Tensor Mse(Tensor output, Tensor target) => nn.functional.mse_loss(output, target);

    /// <summary>The largest scaled difference between the trained model's parameters and the reference's.</summary>
    public double Difference() => Check.MaxDifference(Model.named_parameters().Select(p => (p.name, (Tensor)p.parameter)), DdpModels.Parameters(Reference));

    public void Dispose()
    {
        Ddp.Dispose();
        Optimizer.Dispose();
        Reference.Dispose();
        ReferenceOptimizer.Dispose();
    }
}
