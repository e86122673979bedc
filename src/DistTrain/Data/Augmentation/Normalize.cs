using static TorchSharp.torch;
using static TorchSharp.torchvision.transforms;

namespace DistTrain.Data.Augmentation;

/// <summary>
/// Per-channel normalisation, (x − mean[c]) / std[c] (PyTorch's <c>Normalize(mean, std)</c>); no randomness.
/// Built on TorchVision's <c>functional.normalize</c>.
/// </summary>
public sealed class Normalize : IImageAugmentation
{
    private readonly double[] mean;
    private readonly double[] std;

    /// <summary>Normalises channel c with <paramref name="mean"/>[c] and <paramref name="std"/>[c].</summary>
    /// <exception cref="ArgumentException">The lists are empty or of different lengths, or a standard deviation is not positive.</exception>
    public Normalize(double[] mean, double[] std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Length == 0 || mean.Length != std.Length)
            throw new ArgumentException($"Normalize needs one mean and one standard deviation per channel; got {mean.Length} means and {std.Length} standard deviations.", nameof(std));
        if (std.Any(s => !(s > 0)))
            throw new ArgumentException($"Every standard deviation must be positive; got [{string.Join(", ", std)}].", nameof(std));
        (this.mean, this.std) = ((double[])mean.Clone(), (double[])std.Clone());
    }

    /// <summary>The channels' means.</summary>
    public IReadOnlyList<double> Mean => mean;
    /// <summary>The channels' standard deviations.</summary>
    public IReadOnlyList<double> Std => std;

    /// <inheritdoc />
    public Tensor Apply(Tensor image, Random random)
    {
        var (channels, _, _) = ImageShape.Chw(image, nameof(Normalize));
        if (channels != mean.Length)
            throw new ArgumentException($"Normalize has {mean.Length} channel statistics; the image has {channels} channels.", nameof(image));
        if (!is_floating_point(image))
            throw new ArgumentException($"Normalize takes a floating-point image; got {image.dtype} (convert with functional.convert_image_dtype first).", nameof(image));
        using var batch = image.unsqueeze(0); // TorchVision's normalize reads the channels at dimension 1 (NCHW)
        using var normalised = functional.normalize(batch, mean, std, image.dtype);
        return normalised.squeeze(0);
    }
}
