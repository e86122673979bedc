using System.Text.Json;
using DistTrain.Torch;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Tests.NN;

/// <summary>Reads Fixtures/nn_fixtures.json (written by make_nn_fixtures.py with python3-torch) and compares tensors with it.</summary>
internal static class Fixtures
{
    private static readonly Lazy<JsonDocument> document = new(() =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "nn_fixtures.json"))));

    public static JsonElement Case(string name) => document.Value.RootElement.GetProperty("cases").GetProperty(name);

    public static JsonElement Section(string name) => document.Value.RootElement.GetProperty(name);

    public static IEnumerable<string> CaseNames() =>
        document.Value.RootElement.GetProperty("cases").EnumerateObject().Select(p => p.Name);

    public static bool IsNull(this JsonElement element) => element.ValueKind == JsonValueKind.Null;

    public static long[] Shape(JsonElement t) => t.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();

    /// <summary>The fixture tensor as a new tensor of its dtype (float32 or int64).</summary>
    public static Tensor ToTensor(JsonElement t)
    {
        var data = t.GetProperty("data");
        return t.GetProperty("dtype").GetString() switch
        {
            "float32" => tensor(data.EnumerateArray().Select(e => (float)e.GetDouble()).ToArray(), Shape(t)),
            "int64" => tensor(data.EnumerateArray().Select(e => e.GetInt64()).ToArray(), Shape(t)),
            var other => throw new NotSupportedException($"fixture dtype {other}"),
        };
    }

    /// <summary>The fixture's state dictionary as tensors (the caller disposes them).</summary>
    public static Dictionary<string, Tensor> StateDict(JsonElement state) =>
        state.EnumerateObject().ToDictionary(p => p.Name, p => ToTensor(p.Value));

    /// <summary>Asserts shape equality and |actual − expected| ≤ tolerance · max(1, |expected|) element-wise.</summary>
    public static void AssertClose(JsonElement expected, Tensor actual, string what, double tolerance = 1e-5)
    {
        Assert.True(Shape(expected).SequenceEqual(actual.shape),
            $"{what}: shape [{string.Join(", ", actual.shape)}], expected [{string.Join(", ", Shape(expected))}]");
        using var asDouble = actual.to(ScalarType.Float64);
        var values = asDouble.ToArray<double>();
        var i = 0;
        foreach (var e in expected.GetProperty("data").EnumerateArray())
        {
            var want = e.GetDouble();
            Assert.True(Math.Abs(values[i] - want) <= tolerance * Math.Max(1, Math.Abs(want)),
                $"{what}[{i}]: {values[i]}, expected {want}");
            i++;
        }
    }
}
