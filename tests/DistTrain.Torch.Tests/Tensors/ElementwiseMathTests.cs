using DistTrain.Torch;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Tests.Tensors;

public class ElementwiseMathTests
{
    private static readonly double[] Inputs = [0.25, 0.5, 1.0, 2.0, 3.5];

    public static TheoryData<string> UnaryNames() =>
        ["exp", "log", "log1p", "sqrt", "rsqrt", "abs", "sin", "cos", "tanh", "sigmoid", "reciprocal", "square", "expm1", "tan"];

    private static (Func<Tensor, Tensor> op, Func<double, double> reference) Unary(string name) => name switch
    {
        "exp" => (t => t.exp(), Math.Exp),
        "log" => (t => t.log(), Math.Log),
        "log1p" => (t => t.log1p(), x => Math.Log(1 + x)),
        "sqrt" => (t => t.sqrt(), Math.Sqrt),
        "rsqrt" => (t => t.rsqrt(), x => 1 / Math.Sqrt(x)),
        "abs" => (t => (-t).abs(), Math.Abs),
        "sin" => (t => t.sin(), Math.Sin),
        "cos" => (t => t.cos(), Math.Cos),
        "tanh" => (t => t.tanh(), Math.Tanh),
        "sigmoid" => (t => t.sigmoid(), x => 1 / (1 + Math.Exp(-x))),
        "reciprocal" => (t => t.reciprocal(), x => 1 / x),
        "square" => (t => t.square(), x => x * x),
        "expm1" => (t => t.expm1(), x => Math.Exp(x) - 1),
        "tan" => (t => t.tan(), Math.Tan),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(UnaryNames))]
    public void Unary_op_matches_System_Math_in_float64(string name)
    {
        var (op, reference) = Unary(name);
        using var scope = NewDisposeScope();
        var result = op(tensor(Inputs)).ToArray<double>();
        for (var i = 0; i < Inputs.Length; i++)
            Assert.Equal(reference(Inputs[i]), result[i], 1e-12);
    }

    [Fact]
    public void Relu_sign_floor_ceil_round_and_trunc_follow_PyTorch()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { -1.5, -0.5, 0.0, 0.5, 1.5, 2.5 });
        Assert.Equal([0, 0, 0, 0.5, 1.5, 2.5], x.relu().ToArray<double>());
        Assert.Equal([-1, -1, 0, 1, 1, 1], x.sign().ToArray<double>());
        Assert.Equal([-2, -1, 0, 0, 1, 2], x.floor().ToArray<double>());
        Assert.Equal([-1, -0.0, 0, 1, 2, 3], x.ceil().ToArray<double>());
        // round halves to even, as PyTorch does: -0.5 → -0, 0.5 → 0, 1.5 → 2, 2.5 → 2
        Assert.Equal([-2, -0.0, 0, 0, 2, 2], x.round().ToArray<double>());
        Assert.Equal([-1, -0.0, 0, 0, 1, 2], x.trunc().ToArray<double>());
    }

    [Fact]
    public void Remainder_takes_the_divisors_sign_and_fmod_the_dividends()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new long[] { -7, 7 });
        Assert.Equal([2L, 1L], (x % 3).ToArray<long>());
        Assert.Equal([-1L, 1L], x.fmod(3).ToArray<long>());
        Assert.Equal([-3L, 2L], x.floor_divide(3).ToArray<long>());
        Assert.Equal([2L, 3L], (tensor(new long[] { 9, 10 }) % tensor(new long[] { 7, 7 })).ToArray<long>());
    }

    [Fact]
    public void Pow_takes_scalar_tensor_and_scalar_base_forms()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1.0, 2.0, 3.0 });
        Assert.Equal([1.0, 4.0, 9.0], x.pow(2).ToArray<double>());
        Assert.Equal([1.0, 8.0, 81.0], x.pow(tensor(new[] { 5.0, 3.0, 4.0 })).ToArray<double>());
        Assert.Equal([2.0, 4.0, 8.0], pow(2, x).ToArray<double>());
    }

    [Fact]
    public void Scalar_on_the_left_subtracts_and_divides_in_that_order()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1f, 2f, 4f });
        Assert.Equal([9f, 8f, 6f], (10 - x).ToArray<float>());
        Assert.Equal([8f, 4f, 2f], (8 / x).ToArray<float>());
        Assert.Equal(ScalarType.Float32, (8.0 / x).dtype);
    }

    [Fact]
    public void Maximum_and_minimum_pick_element_wise()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new[] { 1f, 5f, 3f });
        var b = tensor(new[] { 4f, 2f, 3f });
        Assert.Equal([4f, 5f, 3f], maximum(a, b).ToArray<float>());
        Assert.Equal([1f, 2f, 3f], minimum(a, b).ToArray<float>());
    }

    [Fact]
    public void Softmax_and_log_softmax_normalise_along_the_given_dimension()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new double[,] { { 1, 2, 3 }, { 0, 0, 0 } });
        var s = x.softmax(1).ToArray<double>();
        // e^k / (e + e² + e³) and 1/3 for the constant row
        var z = Math.E + Math.Exp(2) + Math.Exp(3);
        double[] expected = [Math.E / z, Math.Exp(2) / z, Math.Exp(3) / z, 1.0 / 3, 1.0 / 3, 1.0 / 3];
        for (var i = 0; i < 6; i++) Assert.Equal(expected[i], s[i], 1e-12);
        var ls = x.log_softmax(1).ToArray<double>();
        for (var i = 0; i < 6; i++) Assert.Equal(Math.Log(expected[i]), ls[i], 1e-12);
    }

    [Fact]
    public void Clamp_applies_optional_bounds_and_where_selects()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { -2f, 0.5f, 3f });
        Assert.Equal([-1f, 0.5f, 1f], x.clamp(-1, 1).ToArray<float>());
        Assert.Equal([0f, 0.5f, 3f], x.clamp_min(0).ToArray<float>());
        Assert.Equal([-2f, 0.5f, 2f], x.clamp(max: 2).ToArray<float>());
        Assert.Equal([-1f, 0.5f, 2f], x.clamp(tensor(new[] { -1f, -1f, -1f }), tensor(new[] { 2f, 2f, 2f })).ToArray<float>());
        Assert.Equal([0f, 0.5f, 3f], where(x > 0, x, zeros_like(x)).ToArray<float>());
        Assert.Equal([9f, 0.5f, 3f], where(x > 0, x, 9).ToArray<float>());
    }
}
