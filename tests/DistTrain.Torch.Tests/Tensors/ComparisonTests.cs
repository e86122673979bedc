using DistTrain.Torch;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Tests.Tensors;

public class ComparisonTests
{
    [Fact]
    public void Comparison_operators_return_bool_tensors_element_wise()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new[] { 1, 2, 3 });
        var b = tensor(new[] { 3, 2, 1 });
        Assert.Equal(ScalarType.Bool, (a < b).dtype);
        Assert.Equal([true, false, false], (a < b).ToArray<bool>());
        Assert.Equal([true, true, false], (a <= b).ToArray<bool>());
        Assert.Equal([false, false, true], (a > b).ToArray<bool>());
        Assert.Equal([false, true, true], (a >= b).ToArray<bool>());
        Assert.Equal([false, true, false], a.eq(b).ToArray<bool>());
        Assert.Equal([true, false, true], a.ne(b).ToArray<bool>());
        Assert.Equal([false, false, true], (a > 2).ToArray<bool>());
        Assert.Equal([true, true, false], (3 > a).ToArray<bool>());
        Assert.Equal([false, true, false], a.eq(2).ToArray<bool>());
    }

    [Fact]
    public void Equality_operator_stays_reference_equality_so_null_checks_work()
    {
        using var a = ones(2);
        Tensor? none = null;
        Assert.False(a == none);
        Assert.True(a != none);
        using var same = ones(2);
        Assert.False(a == same);
        Assert.True(a.equal(same));
    }

    [Fact]
    public void Logical_and_bitwise_ops_combine_bool_tensors()
    {
        using var scope = NewDisposeScope();
        var p = tensor(new[] { true, true, false, false });
        var q = tensor(new[] { true, false, true, false });
        Assert.Equal([true, false, false, false], p.logical_and(q).ToArray<bool>());
        Assert.Equal([true, true, true, false], p.logical_or(q).ToArray<bool>());
        Assert.Equal([false, true, true, false], p.logical_xor(q).ToArray<bool>());
        Assert.Equal([false, false, true, true], p.logical_not().ToArray<bool>());
        Assert.Equal([true, false, false, false], (p & q).ToArray<bool>());
        Assert.Equal([true, true, true, false], (p | q).ToArray<bool>());
        Assert.Equal([false, false, true, true], (~p).ToArray<bool>());
        Assert.Equal([4, 1], (tensor(new[] { 12, 5 }) & tensor(new[] { 7, 3 })).ToArray<int>());
    }

    [Fact]
    public void Isnan_isinf_and_isfinite_classify_special_values()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity });
        Assert.Equal([false, true, false, false], x.isnan().ToArray<bool>());
        Assert.Equal([false, false, true, true], x.isinf().ToArray<bool>());
        Assert.Equal([true, false, false, false], x.isfinite().ToArray<bool>());
    }

    [Fact]
    public void Allclose_uses_relative_and_absolute_tolerance()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new[] { 1.0, 100.0 });
        Assert.True(allclose(a, tensor(new[] { 1.0 + 1e-9, 100.0 + 1e-4 })));
        Assert.False(allclose(a, tensor(new[] { 1.0 + 1e-3, 100.0 })));
    }
}
