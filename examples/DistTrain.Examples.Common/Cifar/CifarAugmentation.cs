using DistTrain.Data.Augmentation;

namespace DistTrain.Examples.Cifar;

/// <summary>
/// The usual CIFAR training augmentation on DistTrain's <see cref="SampleAugmentation"/>, for images in [0, 1]:
/// a random 32×32 crop of the image padded by 4 black pixels, a horizontal flip half of the time, optionally a
/// small rotation, then per-channel normalisation. Every draw is keyed on (seed, epoch, sample id): the same
/// sample in the same epoch is the same tensor on any rank of any world size, after a resume or a re-split.
/// </summary>
public static class CifarAugmentation
{
    /// <summary>Pixels of padding around the image before the random crop.</summary>
    public const int Padding = 4;

    /// <summary>The steps, normalising with <paramref name="mean"/> and <paramref name="std"/> (per channel) last.</summary>
    /// <param name="seed">Keys the draws with the epoch and the sample id (the same on every rank).</param>
    /// <param name="mean">Per-channel means of the training pixels.</param>
    /// <param name="std">Their standard deviations.</param>
    /// <param name="rotationDegrees">Rotate by up to this many degrees either way; 0: no rotation.</param>
    /// <exception cref="ArgumentOutOfRangeException">The rotation is negative.</exception>
    public static SampleAugmentation Create(int seed, double[] mean, double[] std, double rotationDegrees = 0)
    {
        if (rotationDegrees < 0)
            throw new ArgumentOutOfRangeException(nameof(rotationDegrees), rotationDegrees, $"The rotation ({rotationDegrees}°) must not be negative; 0 turns it off.");
        var crop = new RandomCrop(CifarBinaryFile.Side, padding: Padding);
        IImageAugmentation[] geometric = rotationDegrees > 0
            ? [crop, new RandomHorizontalFlip(), new RandomRotation(rotationDegrees)]
            : [crop, new RandomHorizontalFlip()];
        return new SampleAugmentation(seed, [.. geometric, new Normalize(mean, std)]);
    }
}
