using DistTrain.Torch;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Tests.NN;

/// <summary>Initialisation matches python3-torch's: same seed, same order of draws, same values.</summary>
public class InitTests
{
    [Fact]
    public void Default_initialised_layers_after_manual_seed_equal_pytorchs()
    {
        manual_seed(42);
        using var linear = nn.Linear(5, 3);
        using var conv = nn.Conv2d(2, 4, 3);
        using var embedding = nn.Embedding(6, 3);
        using var linearBig = nn.Linear(64, 10);
        var expected = Fixtures.Section("default_init");
        foreach (var (name, module) in new (string, nn.Module)[] { ("linear", linear), ("conv2d", conv), ("embedding", embedding), ("linear_big", linearBig) })
        {
            var state = module.state_dict();
            var keys = expected.GetProperty(name).EnumerateObject().ToList();
            Assert.Equal(keys.Select(k => k.Name), state.Keys);
            foreach (var key in keys) Fixtures.AssertClose(key.Value, state[key.Name], $"{name}.{key.Name}", tolerance: 0);
        }
    }

    public static TheoryData<string> Functions() => new(Fixtures.Section("init_functions").EnumerateObject().Select(p => p.Name));

    [Theory]
    [MemberData(nameof(Functions))]
    public void Init_function_after_manual_seed_equals_pytorchs(string name)
    {
        manual_seed(7);
        using var t = empty([4, 3, 2]);
        _ = name switch
        {
            "uniform_" => nn.init.uniform_(t, -2.0, 3.0),
            "normal_" => nn.init.normal_(t, 1.0, 0.5),
            "constant_" => nn.init.constant_(t, 0.25),
            "xavier_uniform_" => nn.init.xavier_uniform_(t, gain: 2.0),
            "xavier_normal_" => nn.init.xavier_normal_(t),
            "kaiming_uniform_" => nn.init.kaiming_uniform_(t, a: 0.1),
            "kaiming_normal_" => nn.init.kaiming_normal_(t, mode: nn.FanInOut.FanOut, nonlinearity: nn.NonlinearityType.ReLU),
            _ => throw new ArgumentException(name),
        };
        Fixtures.AssertClose(Fixtures.Section("init_functions").GetProperty(name), t, name, tolerance: 1e-6);
    }

    [Fact]
    public void Calculate_gain_equals_pytorchs()
    {
        var gains = Fixtures.Section("gains");
        Assert.Equal(gains.GetProperty("linear").GetDouble(), nn.init.calculate_gain(nn.NonlinearityType.Linear), 12);
        Assert.Equal(gains.GetProperty("conv2d").GetDouble(), nn.init.calculate_gain(nn.NonlinearityType.Conv2D), 12);
        Assert.Equal(gains.GetProperty("sigmoid").GetDouble(), nn.init.calculate_gain(nn.NonlinearityType.Sigmoid), 12);
        Assert.Equal(gains.GetProperty("tanh").GetDouble(), nn.init.calculate_gain(nn.NonlinearityType.Tanh), 12);
        Assert.Equal(gains.GetProperty("relu").GetDouble(), nn.init.calculate_gain(nn.NonlinearityType.ReLU), 12);
        Assert.Equal(gains.GetProperty("leaky_relu").GetDouble(), nn.init.calculate_gain(nn.NonlinearityType.LeakyReLU), 12);
        Assert.Equal(gains.GetProperty("leaky_relu_0.2").GetDouble(), nn.init.calculate_gain(nn.NonlinearityType.LeakyReLU, 0.2), 12);
        Assert.Equal(gains.GetProperty("selu").GetDouble(), nn.init.calculate_gain(nn.NonlinearityType.SELU), 12);
    }

    [Fact]
    public void Fan_of_a_vector_cannot_be_computed()
    {
        using var v = zeros(3);
        Assert.Throws<ArgumentException>(() => nn.init.xavier_uniform_(v));
    }
}
