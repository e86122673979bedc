using System.Diagnostics;
using DistTrain.Data;
using DistTrain.Distributed;
using DistTrain.Parallel;
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

/// <summary>
/// Trains an MNIST classifier with SGD and cross-entropy and measures held-out accuracy. Started as several
/// ranks (WORLD_SIZE &gt; 1, see <see cref="DataParallel"/>) it trains data-parallel: the model wrapped in
/// DistributedDataParallel, each rank reading its share of every epoch through a DistributedSampler with
/// <see cref="MnistOptions.BatchSize"/> / WORLD_SIZE samples per step (the same global batch, hence the same
/// learning dynamics, as one process), and the held-out set scored exactly once across the ranks.
/// </summary>
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
        using var context = DataParallel.JoinIfLaunched(options.Threads);
        int rank = context?.Rank ?? 0, world = context?.WorldSize ?? 1;
        if (options.BatchSize % world != 0)
            throw new ArgumentException($"The batch size ({options.BatchSize}) must be a multiple of the number of ranks ({world}).", nameof(options));
        manual_seed(options.Seed);
        using var all = Mnist.Load(dataDirectory);
        var (train, heldOut) = all.Split(options.TrainCount);
        using (train)
        using (heldOut)
        using (var net = model())
        using (var ddp = context is null ? null : new DistributedDataParallel(net, context.ProcessGroup))
        using (var optimizer = optim.SGD(net.parameters(), options.LearningRate, options.Momentum))
        using (var criterion = nn.CrossEntropyLoss())
        {
            nn.Module<Tensor, Tensor> trained = ddp is null ? net : ddp;
            var sampler = context is null ? null : new DistributedSampler(train.Count, world, rank, shuffle: true, seed: options.Seed);
            IEnumerable<Tensor[]> loader = sampler is null
                ? new DataLoader(train, options.BatchSize, shuffle: true, seed: options.Seed)
                : new DataLoader(train, options.BatchSize / world, sampler);
            var reports = new List<MnistEpoch>();
            for (var epoch = 1; epoch <= options.Epochs; epoch++)
            {
                sampler?.set_epoch(epoch);
                trained.train();
                var clock = Stopwatch.StartNew();
                double lossSum = 0;
                var batches = 0;
                foreach (var batch in loader)
                {
                    using var images = batch[0];
                    using var labels = batch[1];
                    using var scope = NewDisposeScope();
                    optimizer.zero_grad();
                    var loss = criterion.call(trained.call(images), labels);
                    loss.backward();
                    optimizer.step();
                    lossSum += loss.item<float>();
                    batches++;
                }
                var seconds = clock.Elapsed.TotalSeconds;
                var accuracy = context is null ? Accuracy(net, heldOut) : Accuracy(net, heldOut, context);
                var report = new MnistEpoch(epoch, lossSum / batches, train.Count / seconds, accuracy);
                reports.Add(report);
                if (rank == 0) progress?.Invoke(report);
            }
            return reports;
        }
    }

    /// <summary>
    /// The accuracy on <paramref name="data"/> scored by every rank of <paramref name="context"/> together: each
    /// scores its exactly-once share (an evaluation-mode DistributedSampler) and the counts are summed across ranks.
    /// </summary>
    public static double Accuracy(nn.Module<Tensor, Tensor> net, TensorDataset data, DistributedContext context, int batchSize = 500)
    {
        var share = new DistributedSampler(data.Count, context.WorldSize, context.Rank, shuffle: false, evaluation: true);
        var (correct, total) = Count(net, new DataLoader(data, batchSize, share));
        return DistributedMetrics.Accuracy(context.ProcessGroup, correct, total).Accuracy;
    }

    /// <summary>The fraction of <paramref name="data"/>'s samples whose arg-max logit is the label.</summary>
    public static double Accuracy(nn.Module<Tensor, Tensor> net, TensorDataset data, int batchSize = 500)
    {
        var (correct, total) = Count(net, new DataLoader(data, batchSize));
        return (double)correct / total;
    }

    // (correct, scored) over the batches of images and labels, in evaluation mode; training mode afterwards.
    private static (long Correct, long Total) Count(nn.Module<Tensor, Tensor> net, IEnumerable<Tensor[]> batches)
    {
        net.eval();
        using var _ = no_grad();
        long correct = 0, total = 0;
        foreach (var batch in batches)
        {
            using var images = batch[0];
            using var labels = batch[1];
            using var scope = NewDisposeScope();
            var predicted = net.call(images).argmax(1);
            correct += predicted.eq(labels).sum().item<long>();
            total += labels.size(0);
        }
        net.train();
        return (correct, total);
    }
}
