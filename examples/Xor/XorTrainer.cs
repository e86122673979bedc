using DistTrain.Data;
using DistTrain.Parallel;
using DistTrain.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DistTrain.Examples.Xor;

/// <summary>The outcome of training on XOR.</summary>
/// <param name="FinalLoss">Binary cross-entropy of the last epoch (over every rank's samples).</param>
/// <param name="Outputs">The network's outputs for (0,0), (0,1), (1,0), (1,1), each in (0, 1).</param>
/// <param name="Epochs">Epochs run.</param>
public sealed record XorResult(double FinalLoss, float[] Outputs, int Epochs)
{
    /// <summary>The XOR truth table the outputs should round to.</summary>
    public static readonly float[] Targets = [0, 1, 1, 0];

    /// <summary>True when every output rounds to its XOR target.</summary>
    public bool Solved => Outputs.Select(o => o >= 0.5f ? 1f : 0f).SequenceEqual(Targets);
}

/// <summary>
/// Learns XOR with the classic 2-8-1 network: Linear(2, 8) → tanh → Linear(8, 1) → sigmoid, trained
/// full-batch with binary cross-entropy and SGD with momentum. Under <c>disttrain run</c> with several
/// workers, each rank trains on its share of the four samples and DistributedDataParallel averages the
/// gradients, so the steps are those of one process on the whole batch. The loop is DistTrain's
/// <see cref="Trainer"/>: one full-batch step per epoch.
/// </summary>
public static class XorTrainer
{
    /// <summary>The 2-8-1 network.</summary>
    public static nn.Module<Tensor, Tensor> Network() => nn.Sequential(
        ("hidden", nn.Linear(2, 8)), ("tanh", nn.Tanh()), ("output", nn.Linear(8, 1)), ("sigmoid", nn.Sigmoid()));

    /// <summary>Trains for <paramref name="epochs"/> full-batch steps; <paramref name="progress"/> sees (epoch, loss) every 100 epochs (on rank 0).</summary>
    public static XorResult Train(int epochs = 1000, double lr = 0.5, double momentum = 0.9, int seed = 1, Action<int, double>? progress = null)
    {
        using var context = DataParallel.JoinIfLaunched(threads: 1);
        if (context is null) set_num_threads(1);
        manual_seed(seed);
        using var inputs = tensor(new float[] { 0, 0, 0, 1, 1, 0, 1, 1 }, [4, 2]);
        using var targets = tensor(XorResult.Targets, [4, 1]);
        var share = context is null
            ? Enumerable.Range(0, 4).Select(i => (long)i).ToArray()
            : new DistributedSampler(4, context.WorldSize, context.Rank, shuffle: false).ToArray();
        using var index = tensor(share);
        using var myInputs = inputs.index_select(0, index);
        using var myTargets = targets.index_select(0, index);
        using var net = Network();
        using var ddp = context is null ? null : new DistributedDataParallel(net, context.ProcessGroup);
        using var optimizer = optim.SGD(net.parameters(), lr, momentum);
        using var criterion = nn.BCELoss();
        var trainer = new Trainer(ddp ?? net, optimizer, criterion.call, new TrainerOptions { Epochs = epochs });
        trainer.EpochEnded += e =>
        {
            if (e.Epoch % 100 == 0 && (context?.IsMaster ?? true)) progress?.Invoke(e.Epoch, e.Metrics["train_loss"]);
        };
        var result = trainer.Fit(_ => [[myInputs, myTargets]]);
        using (no_grad())
        using (var outputs = net.call(inputs))
            return new XorResult(result.Epochs[^1].Metrics["train_loss"], outputs.data<float>().ToArray(), epochs);
    }
}
