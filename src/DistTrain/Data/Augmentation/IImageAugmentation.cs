using static TorchSharp.torch;

namespace DistTrain.Data.Augmentation;

/// <summary>
/// One step of a sample's augmentation on a CHW image tensor (channels, height, width). Every random choice
/// comes from the <see cref="Random"/> it is given, never from a global generator, so that
/// <see cref="SampleAugmentation"/> can make it a function of (seed, epoch, sample id).
/// </summary>
public interface IImageAugmentation
{
    /// <summary>Returns the augmented image (a new tensor; <paramref name="image"/> is left as it was), drawing what it needs from <paramref name="random"/>.</summary>
    /// <exception cref="ArgumentException">The image is not a CHW tensor this step can take (the message says what it needs).</exception>
    Tensor Apply(Tensor image, Random random);
}
