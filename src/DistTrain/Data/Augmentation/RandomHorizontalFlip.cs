using static TorchSharp.torch;
using static TorchSharp.torchvision.transforms;

namespace DistTrain.Data.Augmentation;

/// <summary>
/// Mirrors the image left to right with probability <see cref="Probability"/>, decided per sample (TorchVision's
/// <c>RandomHorizontalFlip</c> transform draws once per call, so a whole batch flips together; this one is
/// applied to each sample). Built on TorchVision's <c>functional.hflip</c>.
/// </summary>
public sealed class RandomHorizontalFlip : IImageAugmentation
{
    /// <summary>A flip with probability <paramref name="probability"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The probability is outside [0, 1].</exception>
    public RandomHorizontalFlip(double probability = 0.5)
    {
        if (!(probability >= 0 && probability <= 1))
            throw new ArgumentOutOfRangeException(nameof(probability), probability, $"The flip probability ({probability}) must be in [0, 1].");
        Probability = probability;
    }

    /// <summary>The chance that a sample is flipped.</summary>
    public double Probability { get; }

    /// <inheritdoc />
    public Tensor Apply(Tensor image, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        ImageShape.Chw(image, nameof(RandomHorizontalFlip));
        return random.NextDouble() < Probability ? functional.hflip(image) : image.clone();
    }
}
