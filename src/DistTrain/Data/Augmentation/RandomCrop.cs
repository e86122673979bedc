using static TorchSharp.torch;
using static TorchSharp.torchvision.transforms;

namespace DistTrain.Data.Augmentation;

/// <summary>
/// Pads the image by <see cref="Padding"/> pixels on every side with <see cref="Fill"/>, then crops a
/// <see cref="Height"/> × <see cref="Width"/> window at a random place (PyTorch's <c>RandomCrop(size, padding)</c>,
/// the CIFAR recipe: 32 × 32 with padding 4). Built on TorchVision's <c>functional.pad</c> and <c>functional.crop</c>.
/// </summary>
public sealed class RandomCrop : IImageAugmentation
{
    /// <summary>A crop of <paramref name="height"/> × <paramref name="width"/> after padding by <paramref name="padding"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive or the padding is negative.</exception>
    public RandomCrop(int height, int width, int padding = 0, double fill = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        (Height, Width, Padding, Fill) = (height, width, padding, fill);
    }

    /// <summary>A square crop of <paramref name="size"/> after padding by <paramref name="padding"/>.</summary>
    public RandomCrop(int size, int padding = 0, double fill = 0) : this(size, size, padding, fill) { }

    /// <summary>The crop's height in pixels.</summary>
    public int Height { get; }
    /// <summary>The crop's width in pixels.</summary>
    public int Width { get; }
    /// <summary>Pixels added on each side before cropping.</summary>
    public int Padding { get; }
    /// <summary>The value of the added pixels.</summary>
    public double Fill { get; }

    /// <inheritdoc />
    public Tensor Apply(Tensor image, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var (_, h, w) = ImageShape.Chw(image, nameof(RandomCrop));
        var (maxTop, maxLeft) = (h + 2 * Padding - Height, w + 2 * Padding - Width);
        if (maxTop < 0 || maxLeft < 0)
            throw new ArgumentException($"{nameof(RandomCrop)} of {Height} × {Width} does not fit a {h} × {w} image padded by {Padding}.", nameof(image));
        var top = random.Next((int)maxTop + 1);
        var left = random.Next((int)maxLeft + 1);
        return Crop(image, top, left);
    }

    /// <summary>The window at (<paramref name="top"/>, <paramref name="left"/>) of the padded image: what <see cref="Apply"/> returns for that draw.</summary>
    public Tensor Crop(Tensor image, int top, int left)
    {
        ImageShape.Chw(image, nameof(RandomCrop));
        if (Padding == 0) return functional.crop(image, top, left, Height, Width).clone();
        using var padded = functional.pad(image, Padding, Fill);
        return functional.crop(padded, top, left, Height, Width).clone();
    }
}
