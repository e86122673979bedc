using System.Buffers.Binary;
using System.IO.Compression;
using DistTrain.Torch.Data;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Tests.Data;

/// <summary>The IDX reader on files the tests write (raw, gzip, corrupt) and on the real MNIST test split.</summary>
public sealed class IdxTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("dt-idx-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static byte[] IdxBytes(byte type, int[] dims, byte[] data)
    {
        var header = new byte[4 + 4 * dims.Length];
        header[2] = type;
        header[3] = (byte)dims.Length;
        for (var i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * i), dims[i]);
        return [.. header, .. data];
    }

    private string Write(string name, byte[] bytes, bool gzip = false)
    {
        var path = System.IO.Path.Combine(dir, name);
        if (!gzip) { File.WriteAllBytes(path, bytes); return path; }
        using var file = File.Create(path);
        using var z = new GZipStream(file, CompressionLevel.Fastest);
        z.Write(bytes);
        return path;
    }

    [Fact]
    public void Reads_raw_unsigned_bytes_with_their_shape()
    {
        var path = Write("images-idx3-ubyte", IdxBytes(0x08, [2, 2, 3], [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]));
        using var t = Idx.Read(path);
        Assert.Equal(ScalarType.Byte, t.dtype);
        Assert.Equal([2L, 2L, 3L], t.shape);
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255 }, t.ToArray<byte>());
    }

    [Fact]
    public void Reads_gzip_compressed_big_endian_int32()
    {
        var data = new byte[12];
        BinaryPrimitives.WriteInt32BigEndian(data, -2);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(4), 70000);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(8), int.MaxValue);
        var path = Write("values.idx.gz", IdxBytes(0x0C, [3], data), gzip: true);
        using var t = Idx.Read(path);
        Assert.Equal(ScalarType.Int32, t.dtype);
        Assert.Equal([-2, 70000, int.MaxValue], t.ToArray<int>());
    }

    [Fact]
    public void Reads_big_endian_float64()
    {
        var data = new byte[16];
        BinaryPrimitives.WriteDoubleBigEndian(data, 1.5);
        BinaryPrimitives.WriteDoubleBigEndian(data.AsSpan(8), -0.25);
        using var t = Idx.Read(Write("doubles", IdxBytes(0x0E, [1, 2], data)));
        Assert.Equal([1L, 2L], t.shape);
        Assert.Equal([1.5, -0.25], t.ToArray<double>());
    }

    [Fact]
    public void A_bad_magic_number_is_reported()
    {
        var bytes = IdxBytes(0x08, [1], [7]);
        bytes[0] = 0x12;
        var e = Assert.Throws<IdxFormatException>(() => Idx.Read(Write("bad", bytes)));
        Assert.Contains("magic number starts with 0x12", e.Message);
    }

    [Fact]
    public void An_unknown_type_code_is_reported()
    {
        var e = Assert.Throws<IdxFormatException>(() => Idx.Read(Write("type", IdxBytes(0x0A, [1], [7]))));
        Assert.Contains("type code 0x0A", e.Message);
    }

    [Fact]
    public void Truncated_data_is_reported()
    {
        var e = Assert.Throws<IdxFormatException>(() => Idx.Read(Write("short", IdxBytes(0x08, [2, 3], [1, 2, 3, 4]))));
        Assert.Contains("needs 6 bytes of data but only 4 follow", e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Truncated_dimensions_are_reported()
    {
        var bytes = IdxBytes(0x08, [2, 3], [])[..8];
        var e = Assert.Throws<IdxFormatException>(() => Idx.Read(Write("dims", bytes)));
        Assert.Contains("ends inside their sizes", e.Message);
    }

    [Fact]
    public void Trailing_data_is_reported()
    {
        var e = Assert.Throws<IdxFormatException>(() => Idx.Read(Write("long", IdxBytes(0x08, [2], [1, 2, 3]))));
        Assert.Contains("needs 2 bytes of data but 3 follow", e.Message);
    }

    [Fact]
    public void A_corrupt_gzip_file_is_reported()
    {
        var path = Write("cut.gz", IdxBytes(0x08, [100], new byte[100]), gzip: true);
        var bytes = File.ReadAllBytes(path);
        bytes[12] ^= 0xFF;
        bytes[13] ^= 0xFF;
        File.WriteAllBytes(path, bytes[..^6]);
        var e = Assert.ThrowsAny<Exception>(() => Idx.Read(path));
        Assert.True(e is IdxFormatException, $"expected IdxFormatException but got {e.GetType().Name}: {e.Message}");
    }

    [Fact]
    public void A_missing_file_is_reported_by_name()
    {
        var e = Assert.Throws<FileNotFoundException>(() => Idx.Read(System.IO.Path.Combine(dir, "nope")));
        Assert.Contains("nope", e.Message);
    }

    [Fact]
    public void Real_mnist_test_split_has_ten_thousand_28x28_images_and_labels_0_to_9()
    {
        using var images = Idx.Read(System.IO.Path.Combine(MnistDirectory.Path, "t10k-images-idx3-ubyte.gz"));
        using var labels = Idx.Read(System.IO.Path.Combine(MnistDirectory.Path, "t10k-labels-idx1-ubyte.gz"));
        Assert.Equal([10_000L, 28L, 28L], images.shape);
        Assert.Equal([10_000L], labels.shape);
        var values = labels.ToArray<byte>();
        Assert.All(values, v => Assert.InRange(v, (byte)0, (byte)9));
        // Known facts of the MNIST test split (checked with numpy): its first labels and the count of each digit.
        Assert.Equal(new byte[] { 7, 2, 1, 0, 4 }, values[..5]);
        var counts = new int[10];
        foreach (var v in values) counts[v]++;
        Assert.Equal([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009], counts);
        var first = images.ToArray<byte>()[..784];
        Assert.Equal(18454, first.Sum(b => b));
    }
}
