namespace DistTrain.Torch.Data;

/// <summary>Turning raw pixels into network inputs.</summary>
public static class Normalization
{
    /// <summary>The mean of MNIST's training pixels scaled to [0, 1].</summary>
    public const double MnistMean = 0.1307;

    /// <summary>The standard deviation of MNIST's training pixels scaled to [0, 1].</summary>
    public const double MnistStd = 0.3081;

    /// <summary>
    /// Pixels (any integer or floating type, 0–255) scaled to [0, 1] and then standardised:
    /// (x / 255 − <paramref name="mean"/>) / <paramref name="std"/>, as float32.
    /// </summary>
    public static torch.Tensor NormalizePixels(torch.Tensor pixels, double mean, double std)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (!(std > 0)) throw new ArgumentOutOfRangeException(nameof(std), std, "The standard deviation must be positive.");
        using var asFloat = pixels.to(ScalarType.Float32);
        using var scaled = asFloat.div(255.0);
        using var centred = scaled.sub(mean);
        return centred.div(std);
    }
}
