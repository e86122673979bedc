using System.Diagnostics;
using DistTrain.Data;
using DistTrain.Distributed;
using DistTrain.Parallel;
using DistTrain.Protocol.DataPlan;
using DistTrain.Telemetry;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.utils.data;

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
    int Seed = 1, int Threads = 1, int TrainCount = 8000, int CheckpointEvery = 50);

/// <summary>One epoch's outcome.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="MeanLoss">Mean training loss over the epoch's batches.</param>
/// <param name="SamplesPerSecond">Training throughput (of this rank).</param>
/// <param name="HeldOutAccuracy">Accuracy on the held-out samples after the epoch, in [0, 1].</param>
/// <param name="Stopped">Whether a SIGTERM cut the epoch short (after a checkpoint; a rerun resumes).</param>
public sealed record MnistEpoch(int Epoch, double MeanLoss, double SamplesPerSecond, double HeldOutAccuracy, bool Stopped = false);

/// <summary>
/// Trains an MNIST classifier with SGD (momentum, cosine learning-rate decay) and cross-entropy and measures held-out accuracy: a plain
/// TorchSharp loop. Started as several ranks (WORLD_SIZE &gt; 1, see <see cref="DataParallel"/>) it
/// trains data-parallel with DistTrain's three additions: the context, the model wrapped in
/// DistributedDataParallel, and a DistributedSampler for TorchSharp's DataLoader, each rank reading
/// <see cref="MnistOptions.BatchSize"/> / WORLD_SIZE samples per step (the same global batch, hence the
/// same learning dynamics, as one process); the held-out set is scored exactly once across the ranks.
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
        using var context = DataParallel.JoinIfLaunched(options.Threads);
        if (context is null) set_num_threads(options.Threads);
        int rank = context?.Rank ?? 0, world = context?.WorldSize ?? 1;
        if (options.BatchSize % world != 0)
            throw new ArgumentException($"The batch size ({options.BatchSize}) must be a multiple of the number of ranks ({world}).", nameof(options));
        manual_seed(options.Seed);
        using var data = MnistData.Load(dataDirectory);
        var heldOutCount = data.Count - options.TrainCount;
        using var train = data.Slice(0, options.TrainCount);
        using var heldOut = data.Slice(options.TrainCount, heldOutCount);
        using var net = model();
        using var ddp = context is null ? null : new DistributedDataParallel(net, context.ProcessGroup);
        using var optimizer = optim.SGD(net.parameters(), options.LearningRate, options.Momentum);
        using var criterion = nn.CrossEntropyLoss();
        nn.Module<Tensor, Tensor> trained = ddp is null ? net : ddp;
        // Under `disttrain run --checkpoint-dir`: the data plan, checkpoints and resume (null otherwise).
        using var checkpoints = TrainingCheckpoints.FromEnvironment(net, optimizer, context,
            new DataPlanSpec((ulong)options.Seed, options.TrainCount, options.BatchSize), options.CheckpointEvery);
        // Under `disttrain run`: per-step measurements, reported to the coordinator (`disttrain status`, /metrics).
        using var telemetry = context is null ? null : TrainingTelemetry.Start(context);
        if (telemetry is not null) telemetry.CompletedSteps = checkpoints?.GlobalStep ?? 0;
        var sampler = context is null || checkpoints is not null ? null : new DistributedSampler(train.Count, world, rank, shuffle: true, seed: options.Seed);
        var reports = new List<MnistEpoch>();
        for (var epoch = checkpoints?.Epoch ?? 1; epoch <= options.Epochs && checkpoints?.StopRequested != true; epoch++)
        {
            // Cosine decay over the run: the last epochs take small steps, so the final accuracy does not hinge on one noisy epoch.
            foreach (var group in optimizer.ParamGroups)
                group.LearningRate = options.LearningRate * (1 + Math.Cos(Math.PI * (epoch - 1) / options.Epochs)) / 2;
            sampler?.set_epoch(epoch);
            if (telemetry is not null) telemetry.Epoch = epoch;
            using var loader = checkpoints is not null ? DataLoader(train, checkpoints.Sampler.batch_size, checkpoints.Sampler, disposeDataset: false)
                : sampler is null ? DataLoader(train, options.BatchSize, shuffle: true, seed: options.Seed + epoch, disposeDataset: false)
                : DataLoader(train, options.BatchSize / world, sampler, disposeDataset: false);
            trained.train();
            var clock = Stopwatch.StartNew();
            double lossSum = 0;
            long batches = 0, samples = 0;
            foreach (var batch in loader)
            {
                using var step = telemetry?.Step((int)batch[1].shape[0]);
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                var loss = criterion.call(trained.call(batch[0]), batch[1]);
                step?.ForwardDone();
                loss.backward();
                step?.BackwardDone();
                optimizer.step();
                var lossValue = loss.item<float>();
                if (step is not null) (step.Loss, step.LearningRate) = (lossValue, optimizer.ParamGroups.First().LearningRate);
                lossSum += lossValue;
                batches++;
                samples += batch[1].shape[0];
                if (checkpoints?.Step(finalEpoch: epoch == options.Epochs) == true) break;
            }
            var seconds = clock.Elapsed.TotalSeconds;
            var accuracy = context is null ? Accuracy(net, heldOut) : Accuracy(net, heldOut, context);
            var report = new MnistEpoch(epoch, lossSum / batches, samples / seconds, accuracy, checkpoints?.StopRequested == true);
            reports.Add(report);
            if (rank == 0) progress?.Invoke(report);
        }
        return reports;
    }

    /// <summary>
    /// The accuracy on <paramref name="data"/> scored by every rank of <paramref name="context"/> together: each
    /// scores its exactly-once share (an evaluation-mode DistributedSampler) and the counts are summed across ranks.
    /// </summary>
    public static double Accuracy(nn.Module<Tensor, Tensor> net, IterableDataset data, DistributedContext context, int batchSize = 500)
    {
        var share = new DistributedSampler(data.Count, context.WorldSize, context.Rank, shuffle: false, evaluation: true);
        using var loader = DataLoader(data, batchSize, share, disposeDataset: false);
        var (correct, total) = Count(net, loader);
        return DistributedMetrics.Accuracy(context.ProcessGroup, correct, total).Accuracy;
    }

    /// <summary>The fraction of <paramref name="data"/>'s samples whose arg-max logit is the label.</summary>
    public static double Accuracy(nn.Module<Tensor, Tensor> net, IterableDataset data, int batchSize = 500)
    {
        using var loader = DataLoader(data, batchSize, shuffle: false, disposeDataset: false);
        var (correct, total) = Count(net, loader);
        return (double)correct / total;
    }

    // (correct, scored) over the batches of images and labels, in evaluation mode; training mode afterwards.
    private static (long Correct, long Total) Count(nn.Module<Tensor, Tensor> net, IEnumerable<IList<Tensor>> batches)
    {
        net.eval();
        using var _ = no_grad();
        long correct = 0, total = 0;
        foreach (var batch in batches)
        {
            using var scope = NewDisposeScope();
            correct += net.call(batch[0]).argmax(1).eq(batch[1]).sum().item<long>();
            total += batch[1].shape[0];
        }
        net.train();
        return (correct, total);
    }
}
