using DistTrain.Data;
using DistTrain.Data.Augmentation;
using DistTrain.Parallel;
using DistTrain.Training;
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
public sealed record AugmentedMnistOptions(int Epochs = 10, int Patience = 2, int BatchSize = 64, int TrainCount = 8000, int HeldOutCount = 2000,
    int Workers = 2, int Seed = 1);

/// <summary>
/// The MNIST CNN trained by DistTrain's <see cref="Trainer"/>: each sample augmented (random crop with padding
/// 2, rotation up to 10°, keyed on its id so every rank and every re-split sees the same), batches prefetched
/// on background threads, SGD with cosine annealing, and after each epoch the held-out accuracy, precision,
/// recall and F1 over every rank, with early stopping on the accuracy. Alone or under <c>disttrain run</c>.
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
            EarlyStopping = new EarlyStopping("val_accuracy", MonitorMode.Max, options.Patience),
            Scheduler = optim.lr_scheduler.CosineAnnealingLR(optimizer, options.Epochs),
        });
        trainer.EpochEnded += e =>
        {
            if (rank == 0) progress?.Invoke(e, TimeSpan.FromTicks(waits.Sum(l => l.DataWait.Ticks)));
        };
        return trainer.Fit(
            epoch =>
            {
                sampler.set_epoch(epoch);
                return Loader(sampler, options.BatchSize / world, id => [augmentation.Apply(data.Images[id], epoch, id), data.Labels[id]]);
            },
            _ => Loader(heldOut, 500, id => [data.Images[id], data.Labels[id]]));
    }
}
