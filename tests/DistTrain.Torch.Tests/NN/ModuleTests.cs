using DistTrain.Torch;
using DistTrain.Torch.Modules;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Tests.NN;

public class ModuleTests
{
    private sealed class Net : nn.Module<Tensor, Tensor>
    {
        private readonly Linear _fc1 = nn.Linear(4, 3);
        private readonly nn.Module<Tensor, Tensor> relu = nn.ReLU();
        public readonly Linear fc2 = nn.Linear(3, 2, hasBias: false);
        private readonly Tensor steps = zeros(1);

        public Net() : base(nameof(Net)) => RegisterComponents();

        public override Tensor forward(Tensor input)
        {
            using var h = _fc1.call(input);
            using var a = relu.call(h);
            return fc2.call(a);
        }
    }

    [Fact]
    public void RegisterComponents_names_fields_in_declaration_order_stripping_one_underscore()
    {
        using var net = new Net();
        Assert.Equal(["fc1.weight", "fc1.bias", "fc2.weight"], net.named_parameters().Select(p => p.name));
        Assert.Equal(["fc1", "relu", "fc2"], net.named_children().Select(c => c.name));
        Assert.Equal(["steps"], net.named_buffers().Select(b => b.name));
        // As PyTorch: a module's own parameters and buffers come before its children's.
        Assert.Equal(["steps", "fc1.weight", "fc1.bias", "fc2.weight"], net.state_dict().Keys);
        Assert.Equal(["", "fc1", "relu", "fc2"], net.named_modules().Select(m => m.name));
    }

    [Fact]
    public void Sequential_state_dict_uses_positions_as_names()
    {
        using var seq = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1));
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], seq.state_dict().Keys);
    }

    [Fact]
    public void Parameters_require_grad_and_survive_a_dispose_scope()
    {
        Linear layer;
        BatchNorm bn;
        CrossEntropyLoss loss;
        using (NewDisposeScope())
        {
            layer = nn.Linear(2, 2);
            bn = nn.BatchNorm1d(2);
            loss = nn.CrossEntropyLoss(ones(2));
        }
        Assert.All(layer.parameters(), p => Assert.False(p.IsInvalid));
        Assert.All(bn.buffers(), b => Assert.False(b.IsInvalid));
        Assert.False(loss.weight!.IsInvalid);
        bn.Dispose();
        loss.Dispose();
        Assert.All(layer.parameters(), p => Assert.True(p.requires_grad));
        layer.Dispose();
        Assert.True(layer.weight.IsInvalid);
    }

    [Fact]
    public void Train_and_eval_set_the_mode_recursively()
    {
        using var net = new Net();
        Assert.True(net.training);
        net.eval();
        Assert.All(net.modules(), m => Assert.False(m.training));
        net.train();
        Assert.All(net.modules(), m => Assert.True(m.training));
    }

    [Fact]
    public void Linear_forward_computes_x_times_weight_transposed_plus_bias()
    {
        using var layer = nn.Linear(2, 2);
        using var w = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        using var b = tensor(new float[] { 10, 20 });
        layer.load_state_dict(new Dictionary<string, Tensor> { ["weight"] = w, ["bias"] = b });
        using var x = tensor(new float[] { 1, 1, 2, -1 }, [2, 2]);
        using var y = layer.call(x);
        // [1,1]·Wᵀ = [3, 7]; [2,-1]·Wᵀ = [0, 2]
        Assert.Equal([13f, 27f, 10f, 22f], y.ToArray<float>());
    }

    [Fact]
    public void Strict_load_state_dict_throws_naming_missing_and_unexpected_keys()
    {
        using var layer = nn.Linear(2, 2);
        using var w = zeros(2, 2);
        var dict = new Dictionary<string, Tensor> { ["weight"] = w, ["extra"] = w };
        var error = Assert.Throws<InvalidOperationException>(() => layer.load_state_dict(dict));
        Assert.Contains("\"bias\"", error.Message);
        Assert.Contains("\"extra\"", error.Message);
        var (missing, unexpected) = layer.load_state_dict(dict, strict: false);
        Assert.Equal(["bias"], missing);
        Assert.Equal(["extra"], unexpected);
        Assert.Equal(new float[4], layer.weight.ToArray<float>());
    }

    [Fact]
    public void Load_state_dict_with_a_wrong_shape_names_the_key()
    {
        using var layer = nn.Linear(2, 2);
        using var w = zeros(3, 2);
        using var b = zeros(2);
        var error = Assert.Throws<InvalidOperationException>(() =>
            layer.load_state_dict(new Dictionary<string, Tensor> { ["weight"] = w, ["bias"] = b }));
        Assert.Contains("\"weight\"", error.Message);
        Assert.Contains("size mismatch", error.Message);
    }

    [Fact]
    public void To_dtype_converts_parameters_in_place_keeping_their_identity()
    {
        using var layer = nn.Linear(2, 2);
        var weight = layer.weight;
        var before = weight.ToArray<float>();
        layer.to(float64);
        Assert.Same(weight, layer.weight);
        Assert.Equal(ScalarType.Float64, weight.dtype);
        Assert.True(weight.requires_grad);
        Assert.Equal(before.Select(v => (double)v), weight.ToArray<double>());
    }

    [Fact]
    public void Zero_grad_sets_gradients_to_none_or_to_zero()
    {
        using var layer = nn.Linear(2, 1);
        using var x = ones(1, 2);
        using (var y = layer.call(x))
        using (var s = y.sum()) s.backward();
        layer.zero_grad(set_to_none: false);
        using (var g = layer.weight.grad!) Assert.Equal([0f, 0f], g.ToArray<float>());
        layer.zero_grad();
        Assert.Null(layer.weight.grad);
    }
}
