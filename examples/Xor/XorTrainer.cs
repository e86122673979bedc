using DistTrain.Data;
using DistTrain.Parallel;
using DistTrain.Protocol.DataPlan;
using DistTrain.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DistTrain.Examples.Xor;

/// <summary>The outcome of training on XOR.</summary>
/// <param name="FinalLoss">Binary cross-entropy of the last epoch trained (over every rank's samples); NaN when none was (resumed after the last).</param>
/// <param name="Outputs">The network's outputs for (0,0), (0,1), (1,0), (1,1), each in (0, 1).</param>
/// <param name="Epochs">Epochs trained by this run (fewer than asked after a resume or a stop).</param>
/// <param name="Stopped">Whether a SIGTERM stopped the run after a checkpoint (the same command again resumes).</param>
public sealed record XorResult(double FinalLoss, float[] Outputs, int Epochs, bool Stopped = false)
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
/// <see cref="Trainer"/>: one full-batch step per epoch. Under <c>disttrain run --checkpoint-dir</c> it checkpoints
/// every <c>checkpointEvery</c> epochs, at the end and on SIGTERM, and resumes from the latest checkpoint
/// (<see cref="TrainingCheckpoints"/>).
/// </summary>
public static class XorTrainer
{
    /// <summary>The 2-8-1 network.</summary>
    public static nn.Module<Tensor, Tensor> Network() => nn.Sequential(
        ("hidden", nn.Linear(2, 8)), ("tanh", nn.Tanh()), ("output", nn.Linear(8, 1)), ("sigmoid", nn.Sigmoid()));

    /// <summary>Trains for <paramref name="epochs"/> full-batch steps; <paramref name="progress"/> sees (epoch, loss) every 100 epochs (on rank 0).</summary>
    public static XorResult Train(int epochs = 1000, double lr = 0.5, double momentum = 0.9, int seed = 1, Action<int, double>? progress = null,
        int checkpointEvery = 100)
    {
        using var context = DataParallel.JoinIfLaunched(threads: 1);
        if (context is null) set_num_threads(1);
        manual_seed(seed);
        using var inputs = tensor(new float[] { 0, 0, 0, 1, 1, 0, 1, 1 }, [4, 2]);
        using var targets = tensor(XorResult.Targets, [4, 1]);
        using var net = Network();
        using var ddp = context is null ? null : new DistributedDataParallel(net, context.ProcessGroup);
        using var optimizer = optim.SGD(net.parameters(), lr, momentum);
        using var criterion = nn.BCELoss();
        // The data plan of the four samples in order: the same share of them every epoch, one step per epoch.
        using var checkpoints = TrainingCheckpoints.FromEnvironment(net, optimizer, context, new DataPlanSpec((ulong)seed, 4, 4, shuffle: false), checkpointEvery);
        var share = checkpoints?.Sampler.StepIds(0) ?? (context is null
            ? [0, 1, 2, 3]
            : new DistributedSampler(4, context.WorldSize, context.Rank, shuffle: false).ToArray());
        using var index = tensor(share);
        using var myInputs = inputs.index_select(0, index);
        using var myTargets = targets.index_select(0, index);
        var trainer = new Trainer(ddp ?? net, optimizer, criterion.call, new TrainerOptions { Epochs = epochs, FirstEpoch = checkpoints?.Epoch ?? 1 });
        trainer.EpochEnded += e =>
        {
            if (e.Epoch % 100 == 0 && (context?.IsMaster ?? true)) progress?.Invoke(e.Epoch, e.Metrics["train_loss"]);
        };
        if (checkpoints is not null)
            trainer.StepEnded += s =>
            {
                if (checkpoints.Step(finalEpoch: s.Epoch == epochs)) trainer.Stop();
            };
        var result = trainer.Fit(_ => [[myInputs, myTargets]]);
        checkpoints?.WaitForSave(); // the weights below are those of the last checkpoint
        using (no_grad())
        using (var outputs = net.call(inputs))
            return new XorResult(result.Epochs.Count == 0 ? double.NaN : result.Epochs[^1].Metrics["train_loss"], outputs.data<float>().ToArray(),
                result.Epochs.Count, result.Stopped);
    }
}
