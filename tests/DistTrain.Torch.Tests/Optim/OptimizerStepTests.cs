using System.Text.Json;
using DistTrain.Torch.Optim;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Tests.Optim;

/// <summary>Each optimizer's steps against PyTorch 1.13's for the same parameters and gradients (optim_fixtures.json).</summary>
public class OptimizerStepTests
{
    internal static Optimizer Build(JsonElement fixture, Tensor[] parameters)
    {
        var o = fixture.GetProperty("options");
        double Opt(string name, double fallback) => OptimFixtures.Option(o, name, fallback);
        IEnumerable<ParamGroup> groups = fixture.GetProperty("groups").ValueKind == JsonValueKind.Null
            ? [new ParamGroup(parameters)]
            : fixture.GetProperty("groups").EnumerateArray().Select((g, i) => new ParamGroup([parameters[i]],
                options: g.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble()))).ToArray();
        var betas = o.TryGetProperty("betas", out var b) ? b.EnumerateArray().Select(x => x.GetDouble()).ToArray() : [0.9, 0.999];
        return fixture.GetProperty("kind").GetString() switch
        {
            "SGD" => optim.SGD(groups, Opt("lr", 0), Opt("momentum", 0), Opt("dampening", 0), Opt("weight_decay", 0),
                Opt("nesterov", 0) != 0, Opt("maximize", 0) != 0),
            "Adam" => optim.Adam(groups, Opt("lr", 1e-3), betas[0], betas[1], Opt("eps", 1e-8), Opt("weight_decay", 0),
                Opt("amsgrad", 0) != 0, Opt("maximize", 0) != 0),
            "AdamW" => optim.AdamW(groups, Opt("lr", 1e-3), betas[0], betas[1], Opt("eps", 1e-8), Opt("weight_decay", 1e-2),
                Opt("amsgrad", 0) != 0, Opt("maximize", 0) != 0),
            var kind => throw new InvalidOperationException(kind),
        };
    }

    internal static void AssertParamsEqual(JsonElement expected, Tensor[] parameters, string because)
    {
        for (var i = 0; i < parameters.Length; i++)
        {
            var want = OptimFixtures.Floats(expected[i]);
            var got = parameters[i].ToArray<float>();
            for (var j = 0; j < want.Length; j++)
                Assert.True(want[j] == got[j],
                    $"{because}: parameter {i}[{j}] is {got[j]:R}, PyTorch has {want[j]:R}");
        }
    }

    [Theory]
    [InlineData("sgd_plain")]
    [InlineData("sgd_momentum_dampening")]
    [InlineData("sgd_nesterov")]
    [InlineData("sgd_weight_decay")]
    [InlineData("sgd_maximize")]
    [InlineData("adam")]
    [InlineData("adam_weight_decay")]
    [InlineData("adam_amsgrad")]
    [InlineData("adamw")]
    [InlineData("adamw_amsgrad")]
    [InlineData("sgd_two_groups")]
    public void Steps_match_pytorch(string name)
    {
        var fixture = OptimFixtures.Optimizer(name);
        var parameters = OptimFixtures.NewParams();
        using var optimizer = Build(fixture, parameters);
        var after = fixture.GetProperty("after");
        for (var step = 0; step < after.GetArrayLength(); step++)
        {
            OptimFixtures.SetGrads(parameters, step);
            optimizer.step();
            AssertParamsEqual(after[step], parameters, $"{name} step {step}");
        }
        foreach (var p in parameters) p.Dispose();
    }

    [Fact]
    public void Changing_a_group_lr_takes_effect_at_the_next_step()
    {
        using var p = tensor(new float[] { 1, 2 }, requires_grad: true);
        using var optimizer = optim.SGD([p], lr: 0.5);
        using (var g = tensor(new float[] { 1, 1 })) p.grad = g;
        optimizer.step();
        Assert.Equal([0.5f, 1.5f], p.ToArray<float>());
        optimizer.param_groups[0].lr = 0.25;
        optimizer.step();
        Assert.Equal([0.25f, 1.25f], p.ToArray<float>());
    }

    [Fact]
    public void Zero_grad_drops_gradients_by_default_and_zeroes_them_without_set_to_none()
    {
        using var p = tensor(new float[] { 1, 2 }, requires_grad: true);
        using var optimizer = optim.SGD([p], lr: 0.1);
        using (var g = tensor(new float[] { 3, 4 })) p.grad = g;
        optimizer.zero_grad(set_to_none: false);
        using (var zeroed = p.grad!) Assert.Equal([0f, 0f], zeroed.ToArray<float>());
        optimizer.zero_grad();
        Assert.Null(p.grad);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.9)]
    public void A_step_counts_as_an_in_place_change_for_autograd(double momentum)
    {
        using var p = tensor(new float[] { 1, 2, 3 }, requires_grad: true);
        using var optimizer = optim.SGD([p], lr: 0.1, momentum: momentum);
        using (var g = tensor(new float[] { 1, 1, 1 })) p.grad = g;
        using var y = (p * p).sum(); // saves p for backward
        optimizer.step();
        var e = Assert.Throws<TorchException>(() => y.backward());
        Assert.Contains("modified by an inplace operation", e.Message);
    }

    [Fact]
    public void Parameters_without_gradients_are_left_alone()
    {
        using var p = tensor(new float[] { 1, 2 }, requires_grad: true);
        using var optimizer = optim.Adam([p], lr: 0.1);
        optimizer.step();
        Assert.Equal([1f, 2f], p.ToArray<float>());
    }

    [Fact]
    public void Nesterov_without_momentum_is_rejected_with_the_rule()
    {
        using var p = zeros([2], requires_grad: true);
        var e = Assert.Throws<ArgumentException>(() => optim.SGD([p], lr: 0.1, nesterov: true));
        Assert.Contains("Nesterov momentum requires a momentum > 0", e.Message);
    }

    [Fact]
    public void Invalid_betas_are_rejected()
    {
        using var p = zeros([2], requires_grad: true);
        var e = Assert.Throws<ArgumentException>(() => optim.Adam([p], beta2: 1.0));
        Assert.Contains("beta parameter at index 1", e.Message);
    }

    [Fact]
    public void A_parameter_in_two_groups_is_rejected()
    {
        using var p = zeros([2], requires_grad: true);
        var e = Assert.Throws<TorchException>(() => optim.SGD([new ParamGroup([p]), new ParamGroup([p])], lr: 0.1));
        Assert.Contains("more than one parameter group", e.Message);
    }

    [Fact]
    public void An_unknown_group_option_is_rejected_naming_the_valid_ones()
    {
        using var p = zeros([2], requires_grad: true);
        var e = Assert.Throws<ArgumentException>(() =>
            optim.SGD([new ParamGroup([p], options: new Dictionary<string, double> { ["betas"] = 0.9 })], lr: 0.1));
        Assert.Contains("'betas'", e.Message);
        Assert.Contains("momentum", e.Message);
    }
}
