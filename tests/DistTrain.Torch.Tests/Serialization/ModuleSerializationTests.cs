using DistTrain.Torch.Serialization;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Tests.Serialization;

/// <summary>module.save(path) / module.load(path) through safetensors.</summary>
public sealed class ModuleSerializationTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("dt-module-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void A_saved_module_loads_into_a_fresh_one_with_identical_outputs()
    {
        var path = Path.Combine(dir, "net.safetensors");
        manual_seed(1);
        using var a = nn.Sequential(("fc1", nn.Linear(4, 3)), ("relu", nn.ReLU()), ("fc2", nn.Linear(3, 2)));
        manual_seed(2);
        using var b = nn.Sequential(("fc1", nn.Linear(4, 3)), ("relu", nn.ReLU()), ("fc2", nn.Linear(3, 2)));
        using var x = randn(5, 4);
        using var before = b.call(x);
        using var expected = a.call(x);
        Assert.NotEqual(expected.ToArray<float>(), before.ToArray<float>());

        a.save(path);
        b.load(path);

        using var after = b.call(x);
        Assert.Equal(expected.ToArray<float>(), after.ToArray<float>());
        Assert.Equal(["fc1.bias", "fc1.weight", "fc2.bias", "fc2.weight"], safetensors.load_file(path).Keys.Order());
    }

    [Fact]
    public void Loading_a_file_with_other_names_fails_strictly()
    {
        var path = Path.Combine(dir, "other.safetensors");
        using var w = zeros(2);
        safetensors.save_file(new Dictionary<string, Tensor> { ["something.else"] = w }, path);
        using var net = nn.Linear(2, 1);
        var e = Assert.Throws<InvalidOperationException>(() => net.load(path));
        Assert.Contains("something.else", e.Message);
    }
}
