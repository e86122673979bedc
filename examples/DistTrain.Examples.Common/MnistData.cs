using TorchSharp;
using static TorchSharp.torch;

namespace DistTrain.Examples;

/// <summary>MNIST as TorchSharp tensors: images float32 [N, 1, 28, 28] normalised with MNIST's mean and standard deviation, labels int64 [N].</summary>
public sealed class MnistData : IDisposable
{
    /// <summary>The mean of MNIST's training pixels scaled to [0, 1].</summary>
    public const double Mean = 0.1307;

    /// <summary>Their standard deviation.</summary>
    public const double Std = 0.3081;

    private MnistData(Tensor images, Tensor labels)
    {
        Images = images;
        Labels = labels;
    }

    /// <summary>The images, [N, 1, 28, 28].</summary>
    public Tensor Images { get; }

    /// <summary>The labels, [N].</summary>
    public Tensor Labels { get; }

    /// <summary>The number of samples.</summary>
    public long Count => Labels.shape[0];

    /// <summary>Reads a split ("t10k" or "train") from <paramref name="directory"/>; files may be gzip-compressed (.gz) or raw.</summary>
    /// <exception cref="FileNotFoundException">A file is missing; the message names what was looked for.</exception>
    /// <exception cref="IdxFormatException">A file is malformed, or images and labels do not match.</exception>
    public static MnistData Load(string directory, string split = "t10k")
    {
        var (pixels, shape) = IdxFile.ReadBytes(Find(directory, $"{split}-images-idx3-ubyte"));
        var (labelBytes, labelShape) = IdxFile.ReadBytes(Find(directory, $"{split}-labels-idx1-ubyte"));
        if (shape.Length != 3) throw new IdxFormatException(split, $"MNIST images have 3 dimensions [N, rows, cols], not {shape.Length}.");
        if (labelShape.Length != 1 || labelShape[0] != shape[0])
            throw new IdxFormatException(split, $"the labels' shape [{string.Join(", ", labelShape)}] does not match {shape[0]} images.");
        using var scope = NewDisposeScope();
        var images = tensor(pixels, [shape[0], 1, shape[1], shape[2]]).to(float32).div_(255).sub_(Mean).div_(Std);
        var labels = tensor(labelBytes, [labelShape[0]]).to(int64);
        return new MnistData(images.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope());
    }

    /// <summary>Samples [start, start + count) as a TorchSharp dataset of (image, label) pairs.</summary>
    public utils.data.IterableDataset Slice(long start, long count) =>
        utils.data.TensorDataset(Images.narrow(0, start, count), Labels.narrow(0, start, count));

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }

    private static string Find(string directory, string name)
    {
        foreach (var candidate in new[] { name + ".gz", name })
        {
            var path = Path.Combine(directory, candidate);
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException($"Neither '{name}.gz' nor '{name}' is in '{directory}'; pass --data DIR pointing at the MNIST IDX files.");
    }
}
