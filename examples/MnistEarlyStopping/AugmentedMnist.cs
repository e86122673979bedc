using DistTrain.Data;
using DistTrain.Data.Augmentation;
using DistTrain.Parallel;
using DistTrain.Protocol.DataPlan;
using DistTrain.Training;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace DistTrain.Examples.MnistEarlyStopping;

/// <summary>How to train.</summary>
/// <param name="Epochs">Epochs at most.</param>
/// <param name="Patience">Epochs without a better held-out accuracy before stopping.</param>
/// <param name="BatchSize">Samples per step across all ranks (a multiple of the number of ranks).</param>
/// <param name="TrainCount">Samples trained on; the next <paramref name="HeldOutCount"/> are held out.</param>
/// <param name="HeldOutCount">Samples held out for validation after each epoch.</param>
/// <param name="Workers">Background threads building each rank's batches (0: on the training thread).</param>
/// <param name="Seed">Seeds the weights, the shuffle and the augmentation.</param>
/// <param name="CheckpointEvery">Steps between checkpoints, when launched by <c>disttrain run --checkpoint-dir</c>.</param>
public sealed record AugmentedMnistOptions(int Epochs = 10, int Patience = 2, int BatchSize = 64, int TrainCount = 8000, int HeldOutCount = 2000,
    int Workers = 2, int Seed = 1, int CheckpointEvery = 50);

/// <summary>
/// The MNIST CNN trained by DistTrain's <see cref="Trainer"/>: each sample augmented (random crop with padding
/// 2, rotation up to 10°, keyed on its id so every rank and every re-split sees the same), batches prefetched
/// on background threads, SGD with cosine annealing, and after each epoch the held-out accuracy, precision,
/// recall and F1 over every rank, with early stopping on the accuracy. Alone or under <c>disttrain run</c>. Under
/// <c>disttrain run --checkpoint-dir</c> it reads the training set through the coordinator's data plan, checkpoints
/// (early stopping's state in the manifest's extra state) and resumes: at the step it was saved at, or, from a
/// checkpoint of an epoch's last step, with that epoch's validation (<see cref="TrainerOptions.ValidateEpochBeforeFirst"/>).
/// </summary>
public static class AugmentedMnist
{
    /// <summary>Trains on the MNIST files in <paramref name="dataDirectory"/>; <paramref name="progress"/> sees each epoch (on rank 0) with the data wait so far.</summary>
    public static TrainingResult Train(string dataDirectory, AugmentedMnistOptions options, Action<Training.EpochReport, TimeSpan>? progress = null)
    {
        using var context = DataParallel.JoinIfLaunched(threads: 1);
        if (context is null) set_num_threads(1);
        int rank = context?.Rank ?? 0, world = context?.WorldSize ?? 1;
        if (options.BatchSize % world != 0)
            throw new ArgumentException($"The batch size ({options.BatchSize}) must be a multiple of the number of ranks ({world}).", nameof(options));
        manual_seed(options.Seed);
        using var data = MnistData.Load(dataDirectory);
        if (options.TrainCount + options.HeldOutCount > data.Count)
            throw new ArgumentException($"{options.TrainCount} training and {options.HeldOutCount} held-out samples are more than the file's {data.Count}.", nameof(options));
        using var net = MnistModels.Cnn();
        using var ddp = context is null ? null : new DistributedDataParallel(net, context.ProcessGroup);
        using var optimizer = optim.SGD(net.parameters(), 0.05, momentum: 0.9);
        var background = (float)(-MnistData.Mean / MnistData.Std); // MnistData's images are normalised already: black is this
        var augmentation = new SampleAugmentation(options.Seed, new RandomCrop(28, padding: 2, fill: background), new RandomRotation(10, fill: background));
        var scheduler = optim.lr_scheduler.CosineAnnealingLR(optimizer, options.Epochs);
        var partial = options.TrainCount % options.BatchSize;
        if (partial != 0 && partial < world)
            throw new ArgumentException($"The epoch's last step would hold {partial} samples, fewer than the {world} ranks: choose a training count whose remainder by the batch size ({options.BatchSize}) is 0 or at least {world}.", nameof(options));
        using var checkpoints = TrainingCheckpoints.FromEnvironment(net, optimizer, context,
            new DataPlanSpec((ulong)options.Seed, options.TrainCount, options.BatchSize), options.CheckpointEvery, scheduler);
        var early = new EarlyStopping("val_accuracy", MonitorMode.Max, options.Patience);
        if (checkpoints?.ResumedExtra?[EarlyStoppingKey] is JsonObject saved)
            early.Restore(saved["best_epoch"]!.GetValue<int>(), saved["best_value"]?.GetValue<double>() ?? double.NaN, saved["epochs_without_improvement"]!.GetValue<int>());
        var sampler = new DistributedSampler(options.TrainCount, world, rank, shuffle: true, seed: options.Seed);
        var heldOut = new DistributedSampler(options.HeldOutCount, world, rank, shuffle: false, evaluation: true).Select(i => options.TrainCount + i).ToArray();
        var waits = new List<PrefetchingLoader>();
        PrefetchingLoader Loader(IEnumerable<long> ids, int batch, Func<long, IReadOnlyList<Tensor>> sample)
        {
            var loader = new PrefetchingLoader(ids, batch, sample, options.Workers);
            waits.Add(loader);
            return loader;
        }

        var trainer = new Trainer(ddp ?? net, optimizer, (o, y) => nn.functional.cross_entropy(o, y), new TrainerOptions
        {
            Epochs = options.Epochs,
            NumClasses = 10,
            EarlyStopping = early,
            Scheduler = scheduler,
            FirstEpoch = checkpoints?.Epoch ?? 1,
            ValidateEpochBeforeFirst = checkpoints?.ResumedAtEpochEnd ?? false,
        });
        trainer.EpochEnded += e =>
        {
            if (rank == 0) progress?.Invoke(e, TimeSpan.FromTicks(waits.Sum(l => l.DataWait.Ticks)));
        };
        if (checkpoints is not null)
            trainer.StepEnded += s =>
            {
                if (checkpoints.Step(finalEpoch: s.Epoch == options.Epochs, () => EarlyStoppingState(early))) trainer.Stop();
            };
        return trainer.Fit(
            epoch =>
            {
                sampler.set_epoch(epoch);
                // The data plan's ids: the rest of the epoch, from where it was saved (taken now, before the steps advance it).
                IEnumerable<long> ids = checkpoints?.Sampler.ToArray() ?? (IEnumerable<long>)sampler;
                return Loader(ids, checkpoints?.Sampler.batch_size ?? options.BatchSize / world,
                    id => [augmentation.Apply(data.Images[id], epoch, id), data.Labels[id]]);
            },
            _ => Loader(heldOut, 500, id => [data.Images[id], data.Labels[id]]));
    }

    private const string EarlyStoppingKey = "early_stopping";

    // What early stopping knows after the last validation, for the checkpoint's extra state.
    private static JsonObject EarlyStoppingState(EarlyStopping early) => new()
    {
        [EarlyStoppingKey] = new JsonObject
        {
            ["best_epoch"] = early.BestEpoch,
            ["best_value"] = early.BestEpoch == 0 ? null : early.BestValue,
            ["epochs_without_improvement"] = early.EpochsWithoutImprovement,
        },
    };
}
