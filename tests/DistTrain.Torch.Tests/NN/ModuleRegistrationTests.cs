using DistTrain.Torch;
using DistTrain.Torch.Modules;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Tests.NN;

public class ModuleRegistrationTests
{
    private sealed class WithState : nn.Module<Tensor, Tensor>
    {
        public WithState()
        {
            register_buffer("kept", zeros(2));
            register_buffer("scratch", ones(2), persistent: false);
            register_parameter("scale", new nn.Parameter(ones(1)));
        }

        public override Tensor forward(Tensor input) => input.alias();
    }

    private sealed class Shared : nn.Module<Tensor, Tensor>
    {
        private readonly Linear a = nn.Linear(2, 2);
        private readonly Linear b;

        public Shared()
        {
            b = a;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input) => b.call(input);
    }

    private sealed class WithProperty : nn.Module<Tensor, Tensor>
    {
        public Linear Head { get; } = nn.Linear(2, 1);

        public WithProperty() => RegisterComponents();

        public override Tensor forward(Tensor input) => Head.call(input);
    }

    [Fact]
    public void Non_persistent_buffers_are_buffers_but_not_state()
    {
        using var m = new WithState();
        Assert.Equal(["kept", "scratch"], m.named_buffers().Select(b => b.name));
        Assert.Equal(["scale", "kept"], m.state_dict().Keys);
    }

    [Fact]
    public void Names_must_be_unique_across_kinds_and_free_of_dots()
    {
        using var m = new WithState();
        using var p = new nn.Parameter(zeros(1));
        Assert.Throws<ArgumentException>(() => m.register_parameter("kept", p));
        Assert.Throws<ArgumentException>(() => m.register_parameter("a.b", p));
        Assert.Throws<ArgumentException>(() => m.register_module("", nn.ReLU()));
    }

    [Fact]
    public void A_module_registered_twice_shares_its_parameters_once()
    {
        using var m = new Shared();
        Assert.Equal(["a.weight", "a.bias"], m.named_parameters().Select(p => p.name));
        Assert.Equal(["", "a"], m.named_modules().Select(x => x.name));
        // state_dict, as PyTorch's, lists a module under every name it has.
        Assert.Equal(["a.weight", "a.bias", "b.weight", "b.bias"], m.state_dict().Keys);
    }

    [Fact]
    public void Auto_property_components_are_named_after_the_property()
    {
        using var m = new WithProperty();
        Assert.Equal(["Head.weight", "Head.bias"], m.state_dict().Keys);
    }

    [Fact]
    public void Sequential_append_names_by_position_and_indexes()
    {
        using var seq = nn.Sequential(("first", (nn.Module<Tensor, Tensor>)nn.Linear(2, 2)));
        var relu = nn.ReLU();
        seq.append(relu);
        Assert.Equal(2, seq.Count);
        Assert.Same(relu, seq[1]);
        Assert.Equal(["first", "1"], seq.named_children().Select(c => c.name));
    }

    [Fact]
    public void Load_state_dict_converts_the_source_dtype()
    {
        using var layer = nn.Linear(1, 1);
        using var w = tensor(new double[] { 0.5 }, [1, 1]);
        using var b = tensor(new double[] { -1.5 });
        layer.load_state_dict(new Dictionary<string, Tensor> { ["weight"] = w, ["bias"] = b });
        Assert.Equal(ScalarType.Float32, layer.weight.dtype);
        Assert.Equal([0.5f], layer.weight.ToArray<float>());
        Assert.Equal([-1.5f], layer.bias!.ToArray<float>());
    }

    [Fact]
    public void To_float64_leaves_integer_buffers_alone()
    {
        using var bn = nn.BatchNorm1d(2).to(float64);
        Assert.Equal(ScalarType.Float64, bn.running_mean!.dtype);
        Assert.Equal(ScalarType.Int64, bn.num_batches_tracked!.dtype);
    }

    [Fact]
    public void To_float64_converts_existing_gradients_so_backward_keeps_accumulating()
    {
        using var layer = nn.Linear(2, 1);
        using (var x = ones(1, 2))
        using (var y = layer.call(x))
        using (var s = y.sum()) s.backward();
        layer.to(float64);
        using (var g = layer.weight.grad!) Assert.Equal(ScalarType.Float64, g.dtype);
        using (var x = ones([1, 2], float64))
        using (var y = layer.call(x))
        using (var s = y.sum()) s.backward();
        using var accumulated = layer.weight.grad!;
        Assert.Equal([2.0, 2.0], accumulated.ToArray<double>());
    }

    [Fact]
    public void To_cpu_keeps_parameter_identity()
    {
        using var layer = nn.Linear(2, 2);
        var weight = layer.weight;
        Assert.Same(layer, layer.to(CPU));
        Assert.Same(weight, layer.weight);
        Assert.Equal(DeviceType.CPU, weight.device_type);
    }

    [Fact]
    public void Disposing_a_model_disposes_its_childrens_parameters()
    {
        var seq = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2));
        var tensors = seq.parameters().Cast<Tensor>().Concat(seq.buffers()).ToList();
        seq.Dispose();
        Assert.All(tensors, t => Assert.True(t.IsInvalid));
    }

    [Fact]
    public void Assigning_a_parameter_property_replaces_the_registered_one_in_place()
    {
        using var layer = nn.Linear(2, 2);
        var replacement = new nn.Parameter(zeros(2, 2));
        layer.weight = replacement;
        Assert.Equal(["weight", "bias"], layer.named_parameters().Select(p => p.name));
        Assert.Same(replacement, layer.parameters().First());
    }
}
