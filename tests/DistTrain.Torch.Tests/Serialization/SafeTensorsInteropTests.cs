using System.Text.Json;
using DistTrain.Torch.Serialization;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Tests.Serialization;

/// <summary>safetensors files cross the language boundary: numpy reads ours and we read numpy's.</summary>
public sealed class SafeTensorsInteropTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("dt-safetensors-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>The values safetensors_numpy.py writes, as flat doubles (bf16 [1, -3] decoded).</summary>
    private static readonly Dictionary<string, (string DType, long[] Shape, double[] Values)> Reference = new()
    {
        ["scalar"] = ("F32", [], [42]),
        ["f32"] = ("F32", [2, 3], [-1, -0.5, 0, 0.5, 1, 1.5]),
        ["f64"] = ("F64", [3], [Math.PI, -Math.E, 1e300]),
        ["i64"] = ("I64", [3], [-(1L << 40), 0, (1L << 40) + 1]),
        ["i32"] = ("I32", [2, 1], [-7, 8]),
        ["i16"] = ("I16", [2], [-300, 300]),
        ["i8"] = ("I8", [2], [-128, 127]),
        ["u8"] = ("U8", [3], [0, 255, 7]),
        ["bool"] = ("BOOL", [3], [1, 0, 1]),
        ["f16"] = ("F16", [3], [0.5, -2, 65504]),
        ["bf16"] = ("BF16", [2], [1, -3]),
        ["empty"] = ("F32", [0, 4], []),
    };

    private static readonly Dictionary<string, ScalarType> Types = new()
    {
        ["F32"] = ScalarType.Float32, ["F64"] = ScalarType.Float64, ["I64"] = ScalarType.Int64, ["I32"] = ScalarType.Int32,
        ["I16"] = ScalarType.Int16, ["I8"] = ScalarType.Int8, ["U8"] = ScalarType.Byte, ["BOOL"] = ScalarType.Bool,
        ["F16"] = ScalarType.Float16, ["BF16"] = ScalarType.BFloat16,
    };

    private static double[] AsDoubles(Tensor t)
    {
        using var d = t.to(ScalarType.Float64);
        return d.ToArray<double>();
    }

    [Fact]
    public void A_file_written_by_DistTrain_is_read_by_numpy()
    {
        var path = Path.Combine(dir, "ours.safetensors");
        var tensors = new Dictionary<string, Tensor>();
        foreach (var (name, (dtype, shape, values)) in Reference)
        {
            using var f64 = tensor(values, shape);
            tensors[name] = f64.to(Types[dtype]);
        }
        safetensors.save_file(tensors, path, new Dictionary<string, string> { ["step"] = "12", ["note"] = "héllo" });
        foreach (var t in tensors.Values) t.Dispose();

        using var parsed = JsonDocument.Parse(Python.Run("Serialization/safetensors_numpy.py", "read", path));
        var metadata = parsed.RootElement.GetProperty("metadata");
        Assert.Equal("12", metadata.GetProperty("step").GetString());
        Assert.Equal("héllo", metadata.GetProperty("note").GetString());
        var read = parsed.RootElement.GetProperty("tensors");
        Assert.Equal(Reference.Keys.Order(), read.EnumerateObject().Select(p => p.Name).Order());
        foreach (var (name, (dtype, shape, values)) in Reference)
        {
            var entry = read.GetProperty(name);
            Assert.Equal(dtype, entry.GetProperty("dtype").GetString());
            Assert.Equal(shape, entry.GetProperty("shape").EnumerateArray().Select(x => x.GetInt64()).ToArray());
            var got = entry.GetProperty("values").EnumerateArray()
                .Select(x => x.ValueKind switch { JsonValueKind.True => 1.0, JsonValueKind.False => 0.0, _ => x.GetDouble() }).ToArray();
            Assert.Equal(values, got);
        }
    }

    [Fact]
    public void A_file_written_by_numpy_is_read_by_DistTrain()
    {
        var path = Path.Combine(dir, "numpy.safetensors");
        Python.Run("Serialization/safetensors_numpy.py", "write", path);

        var tensors = safetensors.load_file(path, out var metadata);
        try
        {
            Assert.Equal("numpy", metadata["written_by"]);
            Assert.Equal(Reference.Keys.Order(), tensors.Keys.Order());
            foreach (var (name, (dtype, shape, values)) in Reference)
            {
                Assert.Equal(Types[dtype], tensors[name].dtype);
                Assert.Equal(shape, tensors[name].shape);
                Assert.Equal(values, AsDoubles(tensors[name]));
            }
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }
}
