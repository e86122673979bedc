using static TorchSharp.torch;

namespace DistTrain.Data.Augmentation;

/// <summary>The check every augmentation step makes of its input.</summary>
internal static class ImageShape
{
    /// <summary>Fails unless <paramref name="image"/> is a CHW tensor (3 dimensions); returns (C, H, W).</summary>
    public static (long Channels, long Height, long Width) Chw(Tensor image, string step)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.ndim != 3)
            throw new ArgumentException($"{step} takes one CHW image (channels, height, width); got a tensor shaped [{string.Join(", ", image.shape)}]. Augment each sample before collating (unsqueeze(0) a 2-D image).", nameof(image));
        return (image.shape[0], image.shape[1], image.shape[2]);
    }
}
