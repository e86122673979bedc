using System.Buffers.Binary;
using System.IO.Compression;

namespace DistTrain.Examples;

/// <summary>A file that is not valid IDX: the message says what is wrong and what to do.</summary>
public sealed class IdxFormatException(string path, string problem)
    : Exception($"'{path}' is not a valid IDX file: {problem}")
{
    /// <summary>The file that failed to load.</summary>
    public string Path { get; } = path;
}

/// <summary>
/// Reads unsigned-byte IDX files, the format of MNIST's images and labels, raw or gzip-compressed
/// (as distributed; detected from the content). An IDX file is: two zero bytes, the type code 0x08,
/// the number of dimensions, each dimension as a big-endian int32, then the bytes in row-major order.
/// TorchVision's MNIST reader wants them unpacked in a folder of its own layout; this reads the files as they come.
/// </summary>
public static class IdxFile
{
    /// <summary>The bytes and shape of the file at <paramref name="path"/> (MNIST images: [N, 28, 28]; labels: [N]).</summary>
    /// <exception cref="IdxFormatException">The magic number, type, dimensions or data length are wrong.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static (byte[] Data, long[] Shape) ReadBytes(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"The IDX file '{path}' does not exist.", path);
        var bytes = Decompress(path, File.ReadAllBytes(path));
        if (bytes.Length < 4 || bytes[0] != 0 || bytes[1] != 0)
            throw new IdxFormatException(path, "it does not start with the IDX magic number (two zero bytes).");
        if (bytes[2] != 0x08)
            throw new IdxFormatException(path, $"its type code is 0x{bytes[2]:X2}; MNIST files hold unsigned bytes (0x08).");
        int ndim = bytes[3];
        var header = 4 + 4 * ndim;
        if (ndim == 0 || bytes.Length < header)
            throw new IdxFormatException(path, $"it declares {ndim} dimensions but holds only {bytes.Length} bytes: the file is truncated.");
        var shape = new long[ndim];
        long count = 1;
        for (var i = 0; i < ndim; i++)
        {
            shape[i] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * i));
            if (shape[i] < 0) throw new IdxFormatException(path, $"dimension {i} has the negative size {shape[i]}.");
            count = checked(count * shape[i]);
        }
        if (bytes.Length - header != count)
            throw new IdxFormatException(path, $"its shape [{string.Join(", ", shape)}] needs {count} bytes of data but {bytes.Length - header} follow the header: fetch the file again.");
        return (bytes[header..], shape);
    }

    private static byte[] Decompress(string path, byte[] bytes)
    {
        if (bytes.Length < 2 || bytes[0] != 0x1f || bytes[1] != 0x8b) return bytes;
        try
        {
            using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var output = new MemoryStream();
            gzip.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new IdxFormatException(path, $"it starts like gzip but does not decompress ({e.Message}); the download is probably incomplete: fetch it again.");
        }
    }
}
