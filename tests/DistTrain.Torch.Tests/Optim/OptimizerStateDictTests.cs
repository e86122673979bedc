using DistTrain.Torch.Optim;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Tests.Optim;

/// <summary>state_dict()/load_state_dict() in PyTorch's structure, round trips and exact resumption.</summary>
public class OptimizerStateDictTests
{
    private static Tensor[] RunSteps(string name, int from, int to, Optimizer optimizer, Tensor[] parameters)
    {
        for (var step = from; step < to; step++)
        {
            OptimFixtures.SetGrads(parameters, step);
            optimizer.step();
        }
        return parameters;
    }

    [Theory]
    [InlineData("sgd_momentum_dampening")]
    [InlineData("adam_amsgrad")]
    [InlineData("adamw")]
    public void State_matches_pytorch_state_dict(string name)
    {
        var fixture = OptimFixtures.Optimizer(name);
        var parameters = OptimFixtures.NewParams();
        using var optimizer = OptimizerStepTests.Build(fixture, parameters);
        RunSteps(name, 0, 5, optimizer, parameters);
        using var state = optimizer.state_dict();

        var expected = fixture.GetProperty("state");
        Assert.Equal(expected.EnumerateObject().Select(p => int.Parse(p.Name)).Order(), state.state.Keys.Order());
        foreach (var entry in expected.EnumerateObject())
        {
            var mine = state.state[int.Parse(entry.Name)];
            Assert.Equal(entry.Value.EnumerateObject().Select(p => p.Name).Order(), mine.Keys.Order());
            foreach (var slot in entry.Value.EnumerateObject())
            {
                var want = slot.Value.ValueKind == System.Text.Json.JsonValueKind.Array ? OptimFixtures.Floats(slot.Value) : [(float)slot.Value.GetDouble()];
                var got = mine[slot.Name].ToArray<float>();
                Assert.Equal(want.Length, got.Length);
                for (var i = 0; i < want.Length; i++)
                    Assert.True(Math.Abs(want[i] - got[i]) <= 1e-6f * Math.Max(1f, Math.Abs(want[i])), $"{slot.Name}[{i}]: {got[i]} vs {want[i]}");
            }
        }
        var group = fixture.GetProperty("param_groups")[0];
        var myGroup = state.param_groups[0];
        foreach (var option in group.EnumerateObject())
        {
            Assert.True(myGroup.ContainsKey(option.Name), $"missing '{option.Name}'");
            var mineValue = myGroup[option.Name];
            switch (option.Value.ValueKind)
            {
                case System.Text.Json.JsonValueKind.Array:
                    var want = option.Value.EnumerateArray().Select(x => x.GetDouble()).ToArray();
                    var got = mineValue is int[] ids ? ids.Select(i => (double)i).ToArray() : (double[])mineValue;
                    Assert.Equal(want, got);
                    break;
                case System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False:
                    Assert.Equal(option.Value.GetBoolean(), (bool)mineValue);
                    break;
                default:
                    Assert.Equal(option.Value.GetDouble(), (double)mineValue);
                    break;
            }
        }
        foreach (var p in parameters) p.Dispose();
    }

    [Theory]
    [InlineData("sgd_nesterov")]
    [InlineData("sgd_two_groups")]
    [InlineData("adam_weight_decay")]
    [InlineData("adam_amsgrad")]
    [InlineData("adamw_amsgrad")]
    public void Loaded_state_continues_exactly_like_an_uninterrupted_run(string name)
    {
        var fixture = OptimFixtures.Optimizer(name);
        var straight = OptimFixtures.NewParams();
        using (var optimizer = OptimizerStepTests.Build(fixture, straight)) RunSteps(name, 0, 5, optimizer, straight);

        var first = OptimFixtures.NewParams();
        using var before = OptimizerStepTests.Build(fixture, first);
        RunSteps(name, 0, 2, before, first);
        using var saved = before.state_dict();

        // A new process would rebuild the model from a checkpoint: fresh tensors with the same values.
        var resumed = first.Select(p => { using var d = p.detach(); return d.clone().requires_grad_(); }).ToArray();
        using var after = OptimizerStepTests.Build(fixture, resumed);
        after.load_state_dict(saved);
        before.Dispose();
        saved.Dispose(); // the loaded optimizer must hold its own copies
        RunSteps(name, 2, 5, after, resumed);

        for (var i = 0; i < straight.Length; i++)
            Assert.Equal(straight[i].ToArray<float>(), resumed[i].ToArray<float>());
    }

    [Fact]
    public void State_dict_round_trips_through_load_state_dict()
    {
        var fixture = OptimFixtures.Optimizer("adam_amsgrad");
        var parameters = OptimFixtures.NewParams();
        using var optimizer = OptimizerStepTests.Build(fixture, parameters);
        RunSteps("adam_amsgrad", 0, 3, optimizer, parameters);
        using var original = optimizer.state_dict();

        using var other = optim.Adam(parameters, lr: 0.5, beta1: 0.5, beta2: 0.5);
        other.load_state_dict(original);
        using var copy = other.state_dict();

        Assert.Equal(original.param_groups.Count, copy.param_groups.Count);
        Assert.Equal(0.01, (double)copy.param_groups[0]["lr"]);
        Assert.Equal([0.9, 0.999], (double[])copy.param_groups[0]["betas"]);
        Assert.True((bool)copy.param_groups[0]["amsgrad"]);
        Assert.Equal(original.state.Keys.Order(), copy.state.Keys.Order());
        foreach (var (index, tensors) in original.state)
            foreach (var (slot, value) in tensors)
                Assert.Equal(value.ToArray<float>(), copy.state[index][slot].ToArray<float>());
        Assert.Equal([3f], copy.state[0]["step"].ToArray<float>());
    }

    [Fact]
    public void Loading_a_state_with_a_different_group_size_fails_clearly()
    {
        using var a = zeros([2], requires_grad: true);
        using var b = zeros([2], requires_grad: true);
        using var two = optim.SGD([a, b], lr: 0.1, momentum: 0.9);
        using var one = optim.SGD([a], lr: 0.1, momentum: 0.9);
        using var state = two.state_dict();
        var e = Assert.Throws<ArgumentException>(() => one.load_state_dict(state));
        Assert.Contains("has 2 parameters but the optimizer's has 1", e.Message);
    }
}
