using TorchSharp;
using static TorchSharp.torch;

namespace DistTrain.Examples.Cifar;

/// <summary>Which files of a CIFAR-10 directory to read.</summary>
public enum CifarSplit
{
    /// <summary>data_batch_1.bin, data_batch_2.bin, … as many as there are in a row (CIFAR-10 has 5).</summary>
    Train,

    /// <summary>test_batch.bin.</summary>
    Test,
}

/// <summary>
/// A split of a CIFAR-10-format directory (the binary version) as TorchSharp tensors: images float32
/// [N, 3, 32, 32] scaled to [0, 1] and (unless loaded with <c>normalise: false</c>) normalised with CIFAR-10's
/// per-channel mean and standard deviation, labels int64 [N]; the class names from batches.meta.txt (one a line)
/// when the directory has one.
/// </summary>
public sealed class CifarData : IDisposable
{
    /// <summary>CIFAR-10's per-channel mean of the training pixels in [0, 1] (R, G, B).</summary>
    public static readonly float[] Mean = [0.4914f, 0.4822f, 0.4465f];

    /// <summary>Their standard deviations.</summary>
    public static readonly float[] Std = [0.2470f, 0.2435f, 0.2616f];

    /// <summary>The file with the class names.</summary>
    public const string MetaFile = "batches.meta.txt";

    private CifarData(Tensor images, Tensor labels, IReadOnlyList<string> classNames)
    {
        Images = images;
        Labels = labels;
        ClassNames = classNames;
    }

    /// <summary>The images, [N, 3, 32, 32].</summary>
    public Tensor Images { get; }

    /// <summary>The labels, [N].</summary>
    public Tensor Labels { get; }

    /// <summary>The class names (CIFAR-10: airplane … truck), index = label.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The number of samples.</summary>
    public long Count => Labels.shape[0];

    /// <summary>
    /// Reads <paramref name="split"/> from <paramref name="directory"/>. The classes are the lines of batches.meta.txt,
    /// or CIFAR-10's 10 when there is none; every label must name one.
    /// </summary>
    /// <param name="directory">The CIFAR-format directory.</param>
    /// <param name="split">Which files.</param>
    /// <param name="normalise">Normalise with CIFAR-10's <see cref="Mean"/> and <see cref="Std"/>; false: leave the pixels in [0, 1] (see <see cref="ChannelStatistics"/> and <see cref="Normalise"/>).</param>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist; the message says what it should hold.</exception>
    /// <exception cref="FileNotFoundException">The split's first file is missing.</exception>
    /// <exception cref="CifarFormatException">A file is truncated or has a label outside the classes.</exception>
    /// <exception cref="InvalidDataException">batches.meta.txt names no class or more than 256.</exception>
    public static CifarData Load(string directory, CifarSplit split, bool normalise = true)
    {
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException(
                $"The CIFAR-10 directory '{directory}' does not exist. Pass --data-dir DIR holding CIFAR-10's binary version " +
                "(data_batch_1.bin … data_batch_5.bin, test_batch.bin, batches.meta.txt), or make a small one with the example's `generate DIR`.");
        var names = ReadClassNames(directory);
        var files = Files(directory, split);
        var labels = new List<byte>();
        using var pixels = new MemoryStream();
        foreach (var file in files)
        {
            var (l, p) = CifarBinaryFile.Read(file, names.Count);
            labels.AddRange(l);
            pixels.Write(p);
        }
        using var scope = NewDisposeScope();
        var n = labels.Count;
        var images = tensor(pixels.ToArray(), [n, CifarBinaryFile.Channels, CifarBinaryFile.Side, CifarBinaryFile.Side]).to(float32).div_(255);
        var labelTensor = tensor(labels.ToArray(), [n]).to(int64);
        var data = new CifarData(images.MoveToOuterDisposeScope(), labelTensor.MoveToOuterDisposeScope(), names);
        if (normalise) data.Normalise([.. Mean.Select(m => (double)m)], [.. Std.Select(s => (double)s)]);
        return data;
    }

    /// <summary>The per-channel mean and standard deviation of the images' pixels (R, G, B), over every image.</summary>
    public (double[] Mean, double[] Std) ChannelStatistics()
    {
        using var scope = NewDisposeScope();
        var perChannel = Images.transpose(0, 1).reshape(CifarBinaryFile.Channels, -1);
        var mean = perChannel.mean([1]).data<float>().Select(v => (double)v).ToArray();
        var std = perChannel.std(1).data<float>().Select(v => (double)v).ToArray();
        return (mean, std);
    }

    /// <summary>Normalises the images in place: channel c becomes (x − <paramref name="mean"/>[c]) / <paramref name="std"/>[c].</summary>
    public void Normalise(double[] mean, double[] std)
    {
        using var scope = NewDisposeScope();
        Images.sub_(tensor(mean.Select(m => (float)m).ToArray()).view(1, 3, 1, 1)).div_(tensor(std.Select(s => (float)s).ToArray()).view(1, 3, 1, 1));
    }

    /// <summary>Samples [start, start + count) as a TorchSharp dataset of (image, label) pairs.</summary>
    public utils.data.IterableDataset Slice(long start, long count) =>
        utils.data.TensorDataset(Images.narrow(0, start, count), Labels.narrow(0, start, count));

    /// <summary>Every sample as a TorchSharp dataset of (image, label) pairs.</summary>
    public utils.data.IterableDataset All() => Slice(0, Count);

    /// <inheritdoc />
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }

    private static List<string> Files(string directory, CifarSplit split)
    {
        if (split == CifarSplit.Test)
        {
            var test = Path.Combine(directory, "test_batch.bin");
            return File.Exists(test) ? [test]
                : throw new FileNotFoundException($"'{directory}' has no test_batch.bin (CIFAR-10's test split in the binary version).", test);
        }
        var files = new List<string>();
        for (var k = 1; File.Exists(Path.Combine(directory, $"data_batch_{k}.bin")); k++)
            files.Add(Path.Combine(directory, $"data_batch_{k}.bin"));
        return files.Count > 0 ? files
            : throw new FileNotFoundException($"'{directory}' has no data_batch_1.bin (CIFAR-10's training batches are data_batch_1.bin … data_batch_5.bin, binary version).",
                Path.Combine(directory, "data_batch_1.bin"));
    }

    private static List<string> ReadClassNames(string directory)
    {
        var meta = Path.Combine(directory, MetaFile);
        if (!File.Exists(meta)) return ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];
        var names = File.ReadAllLines(meta).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        if (names.Count is 0 or > 256)
            throw new InvalidDataException($"'{meta}' names {names.Count} classes; a label byte can name 1 to 256 (one class name a line).");
        return names;
    }
}
