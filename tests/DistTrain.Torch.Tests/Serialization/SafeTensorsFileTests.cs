using System.Buffers.Binary;
using System.Text;
using DistTrain.Torch.Serialization;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Tests.Serialization;

/// <summary>Round trips, atomic writes, and a clear error for each way a safetensors file can be malformed.</summary>
public sealed class SafeTensorsFileTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("dt-safetensors-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string WriteRaw(string header, byte[] data, ulong? declaredHeaderLength = null)
    {
        var path = Path.Combine(dir, $"{Guid.NewGuid():N}.safetensors");
        var json = Encoding.UTF8.GetBytes(header);
        var length = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, declaredHeaderLength ?? (ulong)json.Length);
        File.WriteAllBytes(path, [.. length, .. json, .. data]);
        return path;
    }

    private static SafeTensorsFormatException LoadFails(string path) =>
        Assert.Throws<SafeTensorsFormatException>(() => safetensors.load_file(path));

    [Fact]
    public void Save_then_load_round_trips_tensors_and_metadata()
    {
        var path = Path.Combine(dir, "model.safetensors");
        using var w = tensor(new float[] { 1, 2, 3, 4, 5, 6 }, [3, 2]);
        using var b = tensor(new long[] { 7, -8 });
        safetensors.save_file(new Dictionary<string, Tensor> { ["layer.weight"] = w, ["layer.bias"] = b }, path,
            new Dictionary<string, string> { ["epoch"] = "3" });

        var loaded = safetensors.load_file(path, out var metadata);
        Assert.Equal("3", metadata["epoch"]);
        Assert.Equal([3L, 2L], loaded["layer.weight"].shape);
        Assert.Equal(w.ToArray<float>(), loaded["layer.weight"].ToArray<float>());
        Assert.Equal([7L, -8L], loaded["layer.bias"].ToArray<long>());
        Assert.Equal("3", safetensors.load_metadata(path)["epoch"]);
        foreach (var t in loaded.Values) t.Dispose();
    }

    [Fact]
    public void Header_and_data_start_are_aligned_to_eight_bytes()
    {
        var path = Path.Combine(dir, "aligned.safetensors");
        using var x = tensor(new float[] { 1 });
        safetensors.save_file(new Dictionary<string, Tensor> { ["x"] = x }, path);
        var bytes = File.ReadAllBytes(path);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0UL, headerLength % 8);
        Assert.Equal(8 + (long)headerLength + 4, bytes.Length);
    }

    [Fact]
    public void A_failed_save_leaves_the_previous_file_intact_and_no_temporary_files()
    {
        var path = Path.Combine(dir, "keep.safetensors");
        using var good = tensor(new float[] { 1, 2 });
        safetensors.save_file(new Dictionary<string, Tensor> { ["x"] = good }, path);
        var before = File.ReadAllBytes(path);

        var disposed = tensor(new float[] { 3 });
        disposed.Dispose();
        Assert.ThrowsAny<Exception>(() => safetensors.save_file(new Dictionary<string, Tensor> { ["x"] = good, ["y"] = disposed }, path));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(dir));
    }

    [Fact]
    public void Saving_over_an_existing_file_replaces_it_completely()
    {
        var path = Path.Combine(dir, "replace.safetensors");
        using var big = zeros([1000]);
        using var small = ones([2]);
        safetensors.save_file(new Dictionary<string, Tensor> { ["big"] = big }, path);
        safetensors.save_file(new Dictionary<string, Tensor> { ["small"] = small }, path);
        var loaded = safetensors.load_file(path);
        Assert.Equal(["small"], loaded.Keys);
        loaded["small"].Dispose();
        Assert.Equal([path], Directory.GetFiles(dir));
    }

    [Fact]
    public void A_file_shorter_than_the_size_field_is_reported_truncated()
    {
        var path = Path.Combine(dir, "short.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.Contains("fewer than the 8-byte header size", LoadFails(path).Message);
    }

    [Fact]
    public void A_header_size_beyond_the_file_is_reported()
    {
        var e = LoadFails(WriteRaw("{}", [], declaredHeaderLength: 1_000_000));
        Assert.Contains("header size says 1000000 bytes but only 2 follow", e.Message);
    }

    [Fact]
    public void Invalid_json_is_reported()
    {
        var e = LoadFails(WriteRaw("{\"x\": {\"dtype\": ", []));
        Assert.Contains("header is not valid JSON", e.Message);
    }

    [Fact]
    public void An_unknown_dtype_is_reported_with_the_supported_ones()
    {
        var e = LoadFails(WriteRaw("{\"x\":{\"dtype\":\"F8_E4M3\",\"shape\":[1],\"data_offsets\":[0,1]}}", [0]));
        Assert.Contains("unknown or unsupported dtype 'F8_E4M3'", e.Message);
        Assert.Contains("BF16", e.Message);
    }

    [Fact]
    public void Offsets_beyond_the_data_are_reported_as_truncation()
    {
        var e = LoadFails(WriteRaw("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", [0, 0, 0, 0]));
        Assert.Contains("ends at data byte 8 but the file holds only 4 bytes", e.Message);
    }

    [Fact]
    public void Overlapping_tensors_are_reported()
    {
        var header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
        var e = LoadFails(WriteRaw(header, new byte[8]));
        Assert.Contains("tensor 'b' (bytes 4..8) overlaps", e.Message);
    }

    [Fact]
    public void A_gap_between_tensors_is_reported()
    {
        var header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";
        var e = LoadFails(WriteRaw(header, new byte[12]));
        Assert.Contains("gap of 4 bytes before tensor 'b'", e.Message);
    }

    [Fact]
    public void Shape_times_dtype_size_must_equal_the_byte_range()
    {
        var e = LoadFails(WriteRaw("{\"x\":{\"dtype\":\"F64\",\"shape\":[2,2],\"data_offsets\":[0,16]}}", new byte[16]));
        Assert.Contains("needs 32 bytes, but its data_offsets [0, 16] span 16", e.Message);
    }

    [Fact]
    public void Trailing_bytes_after_the_last_tensor_are_reported()
    {
        var e = LoadFails(WriteRaw("{\"x\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]}}", new byte[5]));
        Assert.Contains("cover 2 bytes of data but the file holds 5", e.Message);
    }

    [Fact]
    public void A_file_cut_short_inside_the_data_is_reported()
    {
        var path = Path.Combine(dir, "cut.safetensors");
        using var x = ones([16]);
        safetensors.save_file(new Dictionary<string, Tensor> { ["x"] = x }, path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^10]);
        Assert.Contains("the file is truncated", LoadFails(path).Message);
    }

    [Fact]
    public void Metadata_values_must_be_strings()
    {
        var e = LoadFails(WriteRaw("{\"__metadata__\":{\"epoch\":3}}", []));
        Assert.Contains("metadata 'epoch' must be a string", e.Message);
    }
}
