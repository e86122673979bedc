using static TorchSharp.torch;
using static TorchSharp.torchvision;
using static TorchSharp.torchvision.transforms;

namespace DistTrain.Data.Augmentation;

/// <summary>
/// Rotates the image about its centre by an angle drawn uniformly from [−<see cref="Degrees"/>, <see cref="Degrees"/>]
/// (counter-clockwise positive), keeping its size and filling the uncovered corners with <see cref="Fill"/>.
/// Built on TorchVision's <c>functional.rotate</c>.
/// </summary>
public sealed class RandomRotation : IImageAugmentation
{
    /// <summary>A rotation by at most <paramref name="degrees"/> either way.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The angle is negative or above 180.</exception>
    public RandomRotation(double degrees, InterpolationMode interpolation = InterpolationMode.Nearest, float fill = 0)
    {
        if (!(degrees >= 0 && degrees <= 180))
            throw new ArgumentOutOfRangeException(nameof(degrees), degrees, $"The largest rotation ({degrees}°) must be in [0, 180].");
        (Degrees, Interpolation, Fill) = (degrees, interpolation, fill);
    }

    /// <summary>The largest angle either way, in degrees.</summary>
    public double Degrees { get; }
    /// <summary>How pixels between the grid's points are read (TorchVision's nearest or bilinear).</summary>
    public InterpolationMode Interpolation { get; }
    /// <summary>The value of pixels rotated in from outside the image.</summary>
    public float Fill { get; }

    /// <inheritdoc />
    public Tensor Apply(Tensor image, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return Rotate(image, (float)((random.NextDouble() * 2 - 1) * Degrees));
    }

    /// <summary>The image rotated by <paramref name="angle"/> degrees counter-clockwise: what <see cref="Apply"/> returns for that draw.</summary>
    public Tensor Rotate(Tensor image, float angle)
    {
        ImageShape.Chw(image, nameof(RandomRotation));
        if (!is_floating_point(image))
            throw new ArgumentException($"{nameof(RandomRotation)} takes a floating-point image; got {image.dtype} (convert with functional.convert_image_dtype first).", nameof(image));
        return functional.rotate(image, angle, Interpolation, fill: [Fill]);
    }
}
