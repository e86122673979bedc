using System.Diagnostics;
using DistTrain.Torch;
using DistTrain.Torch.Data;
using static DistTrain.Torch.torch;

namespace DistTrain.Examples;

/// <summary>How to train an MNIST model.</summary>
/// <param name="Epochs">Passes over the training samples.</param>
/// <param name="BatchSize">Samples per step.</param>
/// <param name="LearningRate">SGD learning rate.</param>
/// <param name="Momentum">SGD momentum.</param>
/// <param name="Seed">Seeds weight initialisation and shuffling.</param>
/// <param name="Threads">libtorch intra-op threads (1 unless the machine has cores to spare).</param>
/// <param name="TrainCount">Samples trained on; the rest of the file is held out for evaluation.</param>
public sealed record MnistOptions(int Epochs = 5, int BatchSize = 64, double LearningRate = 0.05, double Momentum = 0.9,
    int Seed = 1, int Threads = 1, int TrainCount = 8000);

/// <summary>One epoch's outcome.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="MeanLoss">Mean training loss over the epoch's batches.</param>
/// <param name="SamplesPerSecond">Training throughput.</param>
/// <param name="HeldOutAccuracy">Accuracy on the held-out samples after the epoch, in [0, 1].</param>
public sealed record MnistEpoch(int Epoch, double MeanLoss, double SamplesPerSecond, double HeldOutAccuracy);

/// <summary>Trains an MNIST classifier with SGD and cross-entropy and measures held-out accuracy.</summary>
public static class MnistTrainer
{
    /// <summary>
    /// Loads MNIST from <paramref name="dataDirectory"/>, trains a model built by <paramref name="model"/> on the
    /// first <see cref="MnistOptions.TrainCount"/> samples and evaluates it on the rest after every epoch.
    /// </summary>
    /// <returns>Every epoch's report; the last holds the final held-out accuracy.</returns>
    public static IReadOnlyList<MnistEpoch> Train(string dataDirectory, Func<nn.Module<Tensor, Tensor>> model, MnistOptions options,
        Action<MnistEpoch>? progress = null)
    {
        set_num_threads(options.Threads);
        manual_seed(options.Seed);
        using var all = Mnist.Load(dataDirectory);
        var (train, heldOut) = all.Split(options.TrainCount);
        using (train)
        using (heldOut)
        using (var net = model())
        using (var optimizer = optim.SGD(net.parameters(), options.LearningRate, options.Momentum))
        using (var criterion = nn.CrossEntropyLoss())
        {
            var loader = new DataLoader(train, options.BatchSize, shuffle: true, seed: options.Seed);
            var reports = new List<MnistEpoch>();
            for (var epoch = 1; epoch <= options.Epochs; epoch++)
            {
                net.train();
                var clock = Stopwatch.StartNew();
                double lossSum = 0;
                var batches = 0;
                foreach (var batch in loader)
                {
                    using var images = batch[0];
                    using var labels = batch[1];
                    using var scope = NewDisposeScope();
                    optimizer.zero_grad();
                    var loss = criterion.call(net.call(images), labels);
                    loss.backward();
                    optimizer.step();
                    lossSum += loss.item<float>();
                    batches++;
                }
                var seconds = clock.Elapsed.TotalSeconds;
                var report = new MnistEpoch(epoch, lossSum / batches, train.Count / seconds, Accuracy(net, heldOut));
                reports.Add(report);
                progress?.Invoke(report);
            }
            return reports;
        }
    }

    /// <summary>The fraction of <paramref name="data"/>'s samples whose arg-max logit is the label.</summary>
    public static double Accuracy(nn.Module<Tensor, Tensor> net, TensorDataset data, int batchSize = 500)
    {
        net.eval();
        using var _ = no_grad();
        long correct = 0;
        foreach (var batch in new DataLoader(data, batchSize))
        {
            using var images = batch[0];
            using var labels = batch[1];
            using var scope = NewDisposeScope();
            var predicted = net.call(images).argmax(1);
            correct += predicted.eq(labels).sum().item<long>();
        }
        net.train();
        return (double)correct / data.Count;
    }
}
