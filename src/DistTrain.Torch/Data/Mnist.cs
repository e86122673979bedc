namespace DistTrain.Torch.Data;

/// <summary>Loads MNIST-format IDX files (raw or gzip) into ready-to-train tensors.</summary>
public static class Mnist
{
    /// <summary>The image and label file names of a split ("t10k" or "train"), gzip-compressed as distributed.</summary>
    public static (string Images, string Labels) FileNames(string split = "t10k") =>
        ($"{split}-images-idx3-ubyte.gz", $"{split}-labels-idx1-ubyte.gz");

    /// <summary>
    /// Reads a split from <paramref name="directory"/>: images as float32 [N, 1, 28, 28] normalised with
    /// MNIST's mean and standard deviation, labels as int64 [N]. Files may be .gz or raw (name without .gz).
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">When the directory or a file is missing; the message names what was looked for.</exception>
    /// <exception cref="IdxFormatException">When a file is malformed.</exception>
    public static TensorDataset Load(string directory, string split = "t10k")
    {
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"The MNIST directory '{directory}' does not exist; pass --data DIR pointing at the IDX files.");
        var (imagesName, labelsName) = FileNames(split);
        using var pixels = Idx.Read(Find(directory, imagesName));
        using var rawLabels = Idx.Read(Find(directory, labelsName));
        var shape = pixels.shape;
        if (shape.Length != 3)
            throw new IdxFormatException(imagesName, $"MNIST images must have 3 dimensions [N, rows, cols] but have {shape.Length}.");
        if (rawLabels.shape is not [var n] || n != shape[0])
            throw new IdxFormatException(labelsName, $"the labels' shape [{string.Join(", ", rawLabels.shape)}] does not match {shape[0]} images.");
        using var normalised = Normalization.NormalizePixels(pixels, Normalization.MnistMean, Normalization.MnistStd);
        var images = normalised.reshape(shape[0], 1, shape[1], shape[2]);
        var labels = rawLabels.to(ScalarType.Int64);
        return new TensorDataset(images, labels);
    }

    private static string Find(string directory, string gzName)
    {
        var gz = Path.Combine(directory, gzName);
        if (File.Exists(gz)) return gz;
        var raw = Path.Combine(directory, gzName[..^3]);
        if (File.Exists(raw)) return raw;
        throw new DirectoryNotFoundException($"Neither '{gzName}' nor '{gzName[..^3]}' is in '{directory}'.");
    }
}
