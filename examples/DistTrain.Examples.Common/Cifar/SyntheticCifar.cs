namespace DistTrain.Examples.Cifar;

/// <summary>What <see cref="SyntheticCifar.Write"/> generates.</summary>
/// <param name="ClassNames">One name per class (at most 10: each class has a colour of its own).</param>
/// <param name="TrainFiles">How many data_batch_K.bin files.</param>
/// <param name="PerFile">Images in each training file.</param>
/// <param name="TestCount">Images in test_batch.bin.</param>
/// <param name="Seed">Seeds every pixel and label.</param>
public sealed record SyntheticCifarOptions(IReadOnlyList<string> ClassNames, int TrainFiles = 2, int PerFile = 512, int TestCount = 256, int Seed = 1)
{
    /// <summary>CIFAR-10's class names.</summary>
    public static readonly IReadOnlyList<string> Cifar10Names = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <summary>Two classes, "cat" and "dog", for the transfer-learning example.</summary>
    public static readonly IReadOnlyList<string> CatsAndDogs = ["cat", "dog"];
}

/// <summary>
/// Writes a small dataset in CIFAR-10's binary layout (data_batch_K.bin, test_batch.bin, batches.meta.txt) whose
/// classes a network can tell apart in a few epochs: every image is dim noise with one square (8 to 16 pixels a
/// side, anywhere) painted in its class's colour, brightness varying. The cue is colour only; position and size
/// say nothing. No real CIFAR-10 can be downloaded here, so the examples, their tests and the benchmark use this.
/// </summary>
public static class SyntheticCifar
{
    // Ten colours far apart (R, G, B): class k paints its square in Palette[k].
    private static readonly byte[][] Palette =
    [
        [230, 40, 40], [40, 200, 60], [40, 70, 230], [230, 220, 40], [220, 50, 220],
        [40, 220, 220], [240, 140, 30], [120, 40, 180], [240, 240, 240], [120, 120, 120],
    ];

    /// <summary>Writes the dataset into <paramref name="directory"/> (created when missing; existing batch files are replaced).</summary>
    /// <exception cref="ArgumentException">No class, more than 10, or a count below 1.</exception>
    public static void Write(string directory, SyntheticCifarOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ClassNames.Count is < 1 or > 10)
            throw new ArgumentException($"{options.ClassNames.Count} classes: the generator paints 1 to 10 (one colour each).", nameof(options));
        if (options.TrainFiles < 1 || options.PerFile < 1 || options.TestCount < 1)
            throw new ArgumentException($"train files ({options.TrainFiles}), images per file ({options.PerFile}) and test images ({options.TestCount}) must each be at least 1.", nameof(options));
        Directory.CreateDirectory(directory);
        var random = new Random(options.Seed);
        for (var k = 1; k <= options.TrainFiles; k++)
            WriteBatch(Path.Combine(directory, $"data_batch_{k}.bin"), options.PerFile, options.ClassNames.Count, random);
        WriteBatch(Path.Combine(directory, "test_batch.bin"), options.TestCount, options.ClassNames.Count, random);
        File.WriteAllLines(Path.Combine(directory, CifarData.MetaFile), options.ClassNames);
    }

    private static void WriteBatch(string path, int count, int classes, Random random)
    {
        var labels = new byte[count];
        var pixels = new byte[count * CifarBinaryFile.ImageBytes];
        for (var i = 0; i < count; i++)
        {
            labels[i] = (byte)random.Next(classes);
            Paint(pixels.AsSpan(i * CifarBinaryFile.ImageBytes, CifarBinaryFile.ImageBytes), Palette[labels[i]], random);
        }
        CifarBinaryFile.Write(path, labels, pixels);
    }

    // One image, channel-major: noise in [0, 64), then the square in the class colour scaled by 0.7 to 1.0.
    private static void Paint(Span<byte> image, byte[] colour, Random random)
    {
        const int plane = CifarBinaryFile.Side * CifarBinaryFile.Side;
        for (var p = 0; p < image.Length; p++) image[p] = (byte)random.Next(64);
        var size = random.Next(8, 17);
        int top = random.Next(CifarBinaryFile.Side - size + 1), left = random.Next(CifarBinaryFile.Side - size + 1);
        var brightness = 0.7 + 0.3 * random.NextDouble();
        for (var c = 0; c < CifarBinaryFile.Channels; c++)
        {
            var value = (byte)(colour[c] * brightness);
            for (var y = top; y < top + size; y++)
                image.Slice(c * plane + y * CifarBinaryFile.Side + left, size).Fill(value);
        }
    }
}
