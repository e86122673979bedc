using DistTrain.Data;
using DistTrain.Data.Augmentation;
using static TorchSharp.torch;
using static TorchSharp.torch.utils.data;

namespace DistTrain.Examples;

/// <summary>
/// Training images augmented per sample and epoch (<see cref="SampleAugmentation"/>: its draws keyed on
/// (seed, epoch, sample id), so a resumed or re-split epoch sees the same images), built in batches on
/// background threads by DistTrain's <see cref="PrefetchingLoader"/>.
/// </summary>
/// <param name="Augmentation">The steps applied to each training image (the held-out images are not augmented).</param>
/// <param name="Workers">Background threads building batches (0: on the training thread).</param>
public sealed record TrainingAugmentation(SampleAugmentation Augmentation, int Workers = 2);

/// <summary>One epoch's training batches of (image, label) pairs, as <see cref="ClassifierTrainer"/> reads them.</summary>
public static class TrainingBatches
{
    /// <summary>
    /// The batches of <paramref name="ids"/> (this rank's sample ids of the epoch, in order; null: all of
    /// <paramref name="train"/>, shuffled by <paramref name="seed"/> and <paramref name="epoch"/>), each of
    /// <paramref name="batchSize"/> samples (the last may be shorter). Without <paramref name="augmentation"/>,
    /// TorchSharp's DataLoader; with it, each image augmented for <paramref name="epoch"/> on background threads.
    /// Each batch is disposed when the next is taken.
    /// </summary>
    /// <param name="prefetching">With <paramref name="augmentation"/>, the loader that builds the batches (its <see cref="PrefetchingLoader.DataWait"/> is the time the loop waited for them); else null.</param>
    public static IEnumerable<IList<Tensor>> Epoch(IterableDataset train, IEnumerable<long>? ids, int batchSize, int seed, int epoch,
        TrainingAugmentation? augmentation, out PrefetchingLoader? prefetching)
    {
        prefetching = null;
        if (augmentation is null) return Plain(train, ids, batchSize, seed, epoch);
        if (ids is null)
        {
            var shuffle = new DistributedSampler(train.Count, num_replicas: 1, rank: 0, shuffle: true, seed: seed);
            shuffle.set_epoch(epoch);
            ids = shuffle;
        }
        prefetching = new PrefetchingLoader(ids, batchSize, id => Augmented(train, augmentation.Augmentation, epoch, id), augmentation.Workers);
        return prefetching;
    }

    // TorchSharp's DataLoader, disposed when the enumeration ends.
    private static IEnumerable<IList<Tensor>> Plain(IterableDataset train, IEnumerable<long>? ids, int batchSize, int seed, int epoch)
    {
        using var loader = ids is null ? DataLoader(train, batchSize, shuffle: true, seed: seed + epoch, disposeDataset: false)
            : DataLoader(train, batchSize, ids, disposeDataset: false);
        foreach (var batch in loader) yield return batch;
    }

    // Sample `id` as (augmented image, label); the image read from the dataset is disposed once augmented.
    private static IReadOnlyList<Tensor> Augmented(IterableDataset train, SampleAugmentation augmentation, int epoch, long id)
    {
        var sample = train.GetTensor(id);
        using var image = sample[0];
        return [augmentation.Apply(image, epoch, id), sample[1]];
    }
}
