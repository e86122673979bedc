using DistTrain.Data;
using DistTrain.Examples.Cifar;
using TorchSharp;
using static TorchSharp.torch;

namespace DistTrain.Examples.Tests.Cifar;

/// <summary>The ResNet example's training data path: augmented per (seed, epoch, sample id), normalised with the data's own statistics.</summary>
public sealed class ResNetCifarDataPathTests : IDisposable
{
    private const int Seed = 7, Count = 24, Batch = 4;
    private readonly string dir = Directory.CreateTempSubdirectory("disttrain-cifar-augment-").FullName;

    public ResNetCifarDataPathTests() =>
        SyntheticCifar.Write(dir, new SyntheticCifarOptions(SyntheticCifarOptions.Cifar10Names, TrainFiles: 1, PerFile: Count, TestCount: 4));

    [Fact]
    public void Training_batches_are_augmented_and_the_same_for_a_sample_id_on_1_or_2_ranks()
    {
        using var data = CifarData.Load(dir, CifarSplit.Train, normalise: false);
        var (mean, std) = data.ChannelStatistics();
        var augmentation = new TrainingAugmentation(CifarAugmentation.Create(Seed, mean, std, rotationDegrees: 5), Workers: 2);
        using var set = data.All();

        var alone = EpochImages(set, augmentation, world: 1, rank: 0, epoch: 1);
        var split = EpochImages(set, augmentation, world: 2, rank: 0, epoch: 1).Concat(EpochImages(set, augmentation, world: 2, rank: 1, epoch: 1))
            .ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(Enumerable.Range(0, Count).Select(i => (long)i), alone.Keys.Order());
        Assert.Equal(alone.Keys.Order(), split.Keys.Order());
        Assert.All(alone, p => Assert.True(Same(p.Value.Image, split[p.Key].Image), $"sample {p.Key} differs between 1 and 2 ranks"));
        Assert.All(alone, p => Assert.Equal(data.Labels[p.Key].item<long>(), p.Value.Label));

        data.Normalise(mean, std); // the images as the held-out ones are read: normalised, not augmented
        var unchanged = alone.Count(p => Same(p.Value.Image, data.Images[p.Key]));
        Assert.True(unchanged <= 1, $"{unchanged} of {Count} training images are not augmented");
        var next = EpochImages(set, augmentation, world: 1, rank: 0, epoch: 2);
        var repeated = alone.Count(p => Same(p.Value.Image, next[p.Key].Image));
        Assert.True(repeated <= 1, $"{repeated} of {Count} images are augmented the same in epochs 1 and 2");
    }

    [Fact]
    public void Channel_statistics_normalise_the_images_to_mean_0_and_std_1()
    {
        using var data = CifarData.Load(dir, CifarSplit.Train, normalise: false);
        Assert.True(data.Images.min().item<float>() >= 0 && data.Images.max().item<float>() <= 1, "unnormalised pixels are in [0, 1]");
        var (mean, std) = data.ChannelStatistics();
        Assert.Equal(3, mean.Length);
        Assert.All(std, s => Assert.True(s > 0));
        data.Normalise(mean, std);
        var (after, afterStd) = data.ChannelStatistics();
        Assert.All(after, m => Assert.True(Math.Abs(m) < 1e-4, $"a channel's mean is {m} after normalising"));
        Assert.All(afterStd, s => Assert.True(Math.Abs(s - 1) < 1e-4, $"a channel's std is {s} after normalising"));
    }

    // This rank's augmented images of the epoch by sample id, read through the example's loop path in batches.
    private static Dictionary<long, (Tensor Image, long Label)> EpochImages(utils.data.IterableDataset set, TrainingAugmentation augmentation,
        int world, int rank, int epoch)
    {
        var sampler = new DistributedSampler(set.Count, world, rank, shuffle: true, seed: Seed);
        sampler.set_epoch(epoch);
        var ids = sampler.ToArray();
        var images = new Dictionary<long, (Tensor, long)>();
        var k = 0;
        foreach (var batch in TrainingBatches.Epoch(set, sampler, Batch, Seed, epoch, augmentation, out _))
            for (var i = 0; i < batch[0].shape[0]; i++, k++)
                images[ids[k]] = (batch[0][i].clone(), batch[1][i].item<long>());
        Assert.Equal(ids.Length, k);
        return images;
    }

    // Bitwise equal.
    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.contiguous().bytes.SequenceEqual(b.contiguous().bytes);

    public void Dispose() => Directory.Delete(dir, recursive: true);
}
