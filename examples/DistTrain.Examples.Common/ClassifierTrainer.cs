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

/// <summary>How the examples' training loop runs, whatever the model and data.</summary>
/// <param name="Epochs">Passes over the training samples.</param>
/// <param name="BatchSize">Samples per step (across all ranks).</param>
/// <param name="Seed">Seeds shuffling (and, by the caller, weight initialisation).</param>
/// <param name="Threads">Intra-op threads (1 unless the machine has cores to spare).</param>
/// <param name="CheckpointEvery">Steps between checkpoints, when launched by <c>disttrain run --checkpoint-dir</c>.</param>
public sealed record TrainingOptions(int Epochs, int BatchSize, int Seed = 1, int Threads = 1, int CheckpointEvery = 50);

/// <summary>One epoch's outcome.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="MeanLoss">Mean training loss over the epoch's batches.</param>
/// <param name="LearningRate">The learning rate the epoch trained at (of the optimizer's first parameter group).</param>
/// <param name="SamplesPerSecond">Training throughput (of this rank).</param>
/// <param name="HeldOutAccuracy">Accuracy on the held-out samples after the epoch, in [0, 1].</param>
/// <param name="Stopped">Whether a SIGTERM cut the epoch short (after a checkpoint; a rerun resumes).</param>
/// <param name="DataWaitShare">With augmentation (batches prefetched): the fraction of the epoch's training time this rank waited for batches; else null.</param>
public sealed record EpochReport(int Epoch, double MeanLoss, double LearningRate, double SamplesPerSecond, double HeldOutAccuracy, bool Stopped = false, double? DataWaitShare = null);

/// <summary>
/// The examples' classifier loop (cross-entropy, one optimizer step a batch, a learning-rate schedule stepped once an
/// epoch, held-out accuracy after each epoch): a plain TorchSharp loop. Started as several ranks (WORLD_SIZE &gt; 1, see
/// <see cref="DataParallel"/>) it trains data-parallel with DistTrain's three additions: the context, the model
/// wrapped in DistributedDataParallel, and a DistributedSampler for TorchSharp's DataLoader, each rank reading
/// <see cref="TrainingOptions.BatchSize"/> / WORLD_SIZE samples per step (the same global batch, hence the same
/// learning dynamics, as one process); the held-out set is scored exactly once across the ranks. With a
/// <see cref="TrainingAugmentation"/> each training image is augmented per (seed, epoch, sample id) and batches are
/// built on background threads (<see cref="TrainingBatches"/>). Under
/// <c>disttrain run --checkpoint-dir</c> it reads through the coordinator's data plan and checkpoints and resumes
/// (<see cref="TrainingCheckpoints"/>).
/// </summary>
public static class ClassifierTrainer
{
    /// <summary>Trains <paramref name="net"/> on <paramref name="train"/> and scores it on <paramref name="heldOut"/> after every epoch.</summary>
    /// <param name="net">The model, built and seeded by the caller. Under DDP it is disposed with its wrapper at the end: read the trained weights in <paramref name="finished"/>.</param>
    /// <param name="optimizer">Its optimizer, over the parameters to train.</param>
    /// <param name="scheduler">As built (not yet stepped); stepped after each epoch, checkpointed with the model and restored on resume; null for a constant rate.</param>
    /// <param name="train">(image, label) pairs to train on.</param>
    /// <param name="heldOut">(image, label) pairs to score.</param>
    /// <param name="options">Epochs, batch, seed, threads, checkpoint interval.</param>
    /// <param name="progress">Called on rank 0 after each epoch.</param>
    /// <param name="finished">Called on every rank with the trained model after the last epoch, before anything is disposed.</param>
    /// <param name="augmentation">Augments each training image per epoch, on background threads; null: the images as they are, through TorchSharp's DataLoader.</param>
    /// <returns>Every epoch's report; the last holds the final held-out accuracy.</returns>
    /// <exception cref="ArgumentException">The batch size is not a multiple of the number of ranks.</exception>
    public static IReadOnlyList<EpochReport> Train(nn.Module<Tensor, Tensor> net, TorchSharp.Modules.OptimizerHelper optimizer,
        optim.lr_scheduler.LRScheduler? scheduler, IterableDataset train, IterableDataset heldOut, TrainingOptions options,
        Action<EpochReport>? progress = null, Action<nn.Module<Tensor, Tensor>>? finished = null, TrainingAugmentation? augmentation = null)
    {
        using var context = DataParallel.JoinIfLaunched(options.Threads);
        if (context is null) set_num_threads(options.Threads);
        int rank = context?.Rank ?? 0, world = context?.WorldSize ?? 1;
        if (options.BatchSize % world != 0)
            throw new ArgumentException($"The batch size ({options.BatchSize}) must be a multiple of the number of ranks ({world}).", nameof(options));
        using var ddp = context is null ? null : new DistributedDataParallel(net, context.ProcessGroup);
        using var criterion = nn.CrossEntropyLoss();
        nn.Module<Tensor, Tensor> trained = ddp is null ? net : ddp;
        // Under `disttrain run --checkpoint-dir`: the data plan, checkpoints and resume (null otherwise).
        using var checkpoints = TrainingCheckpoints.FromEnvironment(net, optimizer, context,
            new DataPlanSpec((ulong)options.Seed, train.Count, options.BatchSize), options.CheckpointEvery, scheduler);
        // Under `disttrain run`: per-step measurements, reported to the coordinator (`disttrain status`, /metrics, the dashboard).
        using var telemetry = context is null ? null : TrainingTelemetry.Start(context);
        if (telemetry is not null) telemetry.CompletedSteps = checkpoints?.GlobalStep ?? 0;
        var sampler = context is null || checkpoints is not null ? null : new DistributedSampler(train.Count, world, rank, shuffle: true, seed: options.Seed);
        var first = checkpoints?.Epoch ?? 1;
        var reports = new List<EpochReport>();
        for (var epoch = first; epoch <= options.Epochs && checkpoints?.StopRequested != true; epoch++)
        {
            sampler?.set_epoch(epoch);
            if (telemetry is not null) telemetry.Epoch = epoch;
            var epochBatches = TrainingBatches.Epoch(train, checkpoints?.Sampler ?? (IEnumerable<long>?)sampler,
                checkpoints?.Sampler.batch_size ?? options.BatchSize / world, options.Seed, epoch, augmentation, out var prefetching);
            trained.train();
            var rate = optimizer.ParamGroups.First().LearningRate;
            var clock = Stopwatch.StartNew();
            double lossSum = 0;
            long batches = 0, samples = 0;
            foreach (var batch in epochBatches)
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
            scheduler?.step();
            var accuracy = context is null ? Accuracy(net, heldOut) : Accuracy(net, heldOut, context);
            var report = new EpochReport(epoch, lossSum / Math.Max(1, batches), rate, samples / seconds, accuracy, checkpoints?.StopRequested == true,
                prefetching?.DataWait.TotalSeconds / seconds);
            reports.Add(report);
            if (rank == 0) progress?.Invoke(report);
        }
        finished?.Invoke(net);
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
