using System.Buffers.Binary;
using System.IO.Compression;
using DistTrain.Torch.Native;

namespace DistTrain.Torch.Data;

/// <summary>A file that is not valid IDX: the message says what is wrong and what to do.</summary>
public sealed class IdxFormatException(string path, string problem)
    : Exception($"'{path}' is not a valid IDX file: {problem}")
{
    /// <summary>The file that failed to load.</summary>
    public string Path { get; } = path;
}

/// <summary>
/// Reads IDX files, the format of MNIST and its relatives, raw or gzip-compressed (detected from the
/// content, not the name). An IDX file is: two zero bytes, a type code (0x08 ubyte, 0x09 sbyte, 0x0B int16,
/// 0x0C int32, 0x0D float32, 0x0E float64), the number of dimensions, each dimension as a big-endian int32,
/// then the elements in row-major order, big-endian.
/// </summary>
public static class Idx
{
    /// <summary>Reads the file at <paramref name="path"/> into a CPU tensor of its element type and shape
    /// (MNIST images: uint8 [N, 28, 28]; labels: uint8 [N]).</summary>
    /// <exception cref="IdxFormatException">When the magic number, type, dimensions or data length are wrong.</exception>
    /// <exception cref="FileNotFoundException">When the file does not exist.</exception>
    public static torch.Tensor Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"The IDX file '{path}' does not exist.", path);
        return Parse(path, Load(path));
    }

    private static byte[] Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
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

    private static unsafe torch.Tensor Parse(string path, byte[] bytes)
    {
        if (bytes.Length < 4)
            throw new IdxFormatException(path, $"it holds {bytes.Length} bytes, fewer than the 4-byte magic number.");
        if (bytes[0] != 0 || bytes[1] != 0)
            throw new IdxFormatException(path, $"its magic number starts with 0x{bytes[0]:X2} 0x{bytes[1]:X2} instead of two zero bytes.");
        var (type, size) = bytes[2] switch
        {
            0x08 => (ScalarType.Byte, 1),
            0x09 => (ScalarType.Int8, 1),
            0x0B => (ScalarType.Int16, 2),
            0x0C => (ScalarType.Int32, 4),
            0x0D => (ScalarType.Float32, 4),
            0x0E => (ScalarType.Float64, 8),
            var code => throw new IdxFormatException(path, $"its type code 0x{code:X2} is not one of 0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E."),
        };
        int ndim = bytes[3];
        if (ndim == 0) throw new IdxFormatException(path, "it declares zero dimensions.");
        var headerLength = 4 + 4 * ndim;
        if (bytes.Length < headerLength)
            throw new IdxFormatException(path, $"it declares {ndim} dimensions but ends inside their sizes ({bytes.Length} bytes): the file is truncated.");
        var shape = new long[ndim];
        long count = 1;
        for (var i = 0; i < ndim; i++)
        {
            var d = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * i));
            if (d < 0) throw new IdxFormatException(path, $"dimension {i} has the negative size {d}.");
            shape[i] = d;
            count = checked(count * d);
        }
        var expected = checked(count * size);
        var actual = bytes.Length - (long)headerLength;
        if (actual < expected)
            throw new IdxFormatException(path, $"its shape [{string.Join(", ", shape)}] needs {expected} bytes of data but only {actual} follow the header: the file is truncated; fetch it again.");
        if (actual > expected)
            throw new IdxFormatException(path, $"its shape [{string.Join(", ", shape)}] needs {expected} bytes of data but {actual} follow the header.");
        var data = bytes.AsSpan(headerLength);
        switch (size)
        {
            case 2: BinaryPrimitives.ReverseEndianness(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(data), System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(data)); break;
            case 4: BinaryPrimitives.ReverseEndianness(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(data), System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(data)); break;
            case 8: BinaryPrimitives.ReverseEndianness(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(data), System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(data)); break;
        }
        fixed (byte* p = data)
        fixed (long* s = shape)
            return new torch.Tensor(NativeMethods.dt_tensor_from_data(p, expected, s, ndim, (int)type, (int)DeviceType.CPU, -1, false));
    }
}
