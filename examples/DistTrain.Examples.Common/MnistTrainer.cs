using TorchSharp;
using static TorchSharp.torch;

namespace DistTrain.Examples;

/// <summary>How to train an MNIST model.</summary>
/// <param name="Epochs">Passes over the training samples.</param>
/// <param name="BatchSize">Samples per step (across all ranks).</param>
/// <param name="LearningRate">SGD learning rate.</param>
/// <param name="Momentum">SGD momentum.</param>
/// <param name="Seed">Seeds weight initialisation and shuffling.</param>
/// <param name="Threads">Intra-op threads (1 unless the machine has cores to spare).</param>
/// <param name="TrainCount">Samples trained on; the rest of the file is held out for evaluation.</param>
/// <param name="CheckpointEvery">Steps between checkpoints, when launched by <c>disttrain run --checkpoint-dir</c>.</param>
public sealed record MnistOptions(int Epochs = 5, int BatchSize = 64, double LearningRate = 0.05, double Momentum = 0.9,
    int Seed = 1, int Threads = 1, int TrainCount = 8000, int CheckpointEvery = 50)
{
    /// <summary>The loop's share of these options.</summary>
    public TrainingOptions Loop => new(Epochs, BatchSize, Seed, Threads, CheckpointEvery);
}

/// <summary>
/// Trains an MNIST classifier with SGD (momentum, cosine learning-rate decay through TorchSharp's LambdaLR) and
/// cross-entropy in <see cref="ClassifierTrainer"/>'s loop, data-parallel when launched as several ranks.
/// </summary>
public static class MnistTrainer
{
    /// <summary>
    /// Loads MNIST from <paramref name="dataDirectory"/>, trains a model built by <paramref name="model"/> on the
    /// first <see cref="MnistOptions.TrainCount"/> samples and evaluates it on the rest after every epoch.
    /// </summary>
    /// <returns>Every epoch's report; the last holds the final held-out accuracy.</returns>
    public static IReadOnlyList<EpochReport> Train(string dataDirectory, Func<nn.Module<Tensor, Tensor>> model, MnistOptions options,
        Action<EpochReport>? progress = null)
    {
        manual_seed(options.Seed);
        using var data = MnistData.Load(dataDirectory);
        using var train = data.Slice(0, options.TrainCount);
        using var heldOut = data.Slice(options.TrainCount, data.Count - options.TrainCount);
        using var net = model();
        using var optimizer = optim.SGD(net.parameters(), options.LearningRate, options.Momentum);
        // Cosine decay over the run: the last epochs take small steps, so the final accuracy does not hinge on one noisy epoch.
        var scheduler = LearningRateSchedules.CosineOverEpochs(optimizer, options.Epochs);
        return ClassifierTrainer.Train(net, optimizer, scheduler, train, heldOut, options.Loop, progress);
    }
}
