using System.Text.Json;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Tests.Optim;

/// <summary>Reads optim_fixtures.json, written by make_optim_fixtures.py with PyTorch 1.13.</summary>
internal static class OptimFixtures
{
    private static readonly Lazy<JsonElement> Root = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Optim", "optim_fixtures.json"))).RootElement);

    public static JsonElement Data => Root.Value;

    public static long[][] Shapes => Data.GetProperty("shapes").EnumerateArray()
        .Select(s => s.EnumerateArray().Select(x => x.GetInt64()).ToArray()).ToArray();

    public static float[] Floats(JsonElement array) => array.EnumerateArray().Select(x => (float)x.GetDouble()).ToArray();

    /// <summary>Fresh leaf parameters holding the fixture's initial values.</summary>
    public static Tensor[] NewParams()
    {
        var shapes = Shapes;
        return Data.GetProperty("params").EnumerateArray()
            .Select((p, i) => tensor(Floats(p), shapes[i], requires_grad: true)).ToArray();
    }

    /// <summary>Sets each parameter's gradient to the fixture's gradient for <paramref name="step"/> (null clears it).</summary>
    public static void SetGrads(Tensor[] parameters, int step)
    {
        var shapes = Shapes;
        var grads = Data.GetProperty("grads")[step];
        for (var i = 0; i < parameters.Length; i++)
        {
            if (grads[i].ValueKind == JsonValueKind.Null) { parameters[i].grad = null; continue; }
            using var g = tensor(Floats(grads[i]), shapes[i]);
            parameters[i].grad = g;
        }
    }

    public static JsonElement Optimizer(string name) =>
        Data.GetProperty("optimizers").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    public static double Option(JsonElement options, string name, double fallback) =>
        options.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.True => 1,
            JsonValueKind.False => 0,
            _ => v.GetDouble(),
        } : fallback;
}
