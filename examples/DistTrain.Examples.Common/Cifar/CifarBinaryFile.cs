namespace DistTrain.Examples.Cifar;

/// <summary>A file that is not a valid CIFAR binary batch: the message says what is wrong and what to do.</summary>
public sealed class CifarFormatException(string path, string problem)
    : Exception($"'{path}' is not a valid CIFAR-10 binary batch: {problem}")
{
    /// <summary>The file that failed to load.</summary>
    public string Path { get; } = path;
}

/// <summary>
/// Reads and writes one batch file of CIFAR-10's binary version (data_batch_1.bin … data_batch_5.bin,
/// test_batch.bin): records of 1 label byte followed by 3,072 pixel bytes, the 1,024 red values of the 32×32
/// image in row-major order, then the 1,024 green, then the 1,024 blue. CIFAR-10's files hold 10,000 records
/// each; files with fewer (the small ones the tests generate) read the same.
/// </summary>
public static class CifarBinaryFile
{
    /// <summary>Height and width of an image.</summary>
    public const int Side = 32;

    /// <summary>Colour channels (R, G, B).</summary>
    public const int Channels = 3;

    /// <summary>Pixel bytes of one image: 3 × 32 × 32.</summary>
    public const int ImageBytes = Channels * Side * Side;

    /// <summary>Bytes of one record: the label, then the image.</summary>
    public const int RecordBytes = 1 + ImageBytes;

    /// <summary>
    /// The labels ([N]) and the pixels ([N, 3, 32, 32] in row-major order, the order of the file) of the batch
    /// at <paramref name="path"/>.
    /// </summary>
    /// <param name="path">The .bin file.</param>
    /// <param name="classes">Labels must be below this (10 for CIFAR-10).</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="CifarFormatException">The file is empty or truncated, or a label is out of range.</exception>
    public static (byte[] Labels, byte[] Pixels) Read(string path, int classes)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"The CIFAR batch '{path}' does not exist.", path);
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length == 0) throw new CifarFormatException(path, "it is empty.");
        if (bytes.Length % RecordBytes != 0)
            throw new CifarFormatException(path,
                $"its {bytes.Length} bytes are {bytes.Length / RecordBytes} whole records of {RecordBytes} bytes (1 label + 3,072 pixels) and {bytes.Length % RecordBytes} bytes more: the file is truncated; copy or generate it again.");
        var count = bytes.Length / RecordBytes;
        var labels = new byte[count];
        var pixels = new byte[(long)count * ImageBytes];
        for (var i = 0; i < count; i++)
        {
            var record = bytes.AsSpan(i * RecordBytes, RecordBytes);
            if (record[0] >= classes)
                throw new CifarFormatException(path, $"record {i} has the label {record[0]}; labels run from 0 to {classes - 1} ({classes} classes).");
            labels[i] = record[0];
            record[1..].CopyTo(pixels.AsSpan(i * ImageBytes, ImageBytes));
        }
        return (labels, pixels);
    }

    /// <summary>Writes <paramref name="labels"/> and their images (<paramref name="pixels"/>, [N, 3, 32, 32] row-major) as one batch file.</summary>
    /// <exception cref="ArgumentException">There are not 3,072 pixel bytes for every label.</exception>
    public static void Write(string path, ReadOnlySpan<byte> labels, ReadOnlySpan<byte> pixels)
    {
        if (pixels.Length != (long)labels.Length * ImageBytes)
            throw new ArgumentException($"{labels.Length} labels need {labels.Length * ImageBytes} pixel bytes (3,072 each), not {pixels.Length}.", nameof(pixels));
        using var file = File.Create(path);
        for (var i = 0; i < labels.Length; i++)
        {
            file.WriteByte(labels[i]);
            file.Write(pixels.Slice(i * ImageBytes, ImageBytes));
        }
    }
}
