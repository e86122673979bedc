using DistTrain.Torch;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Tests.Tensors;

public class ReductionTests
{
    // [[1, 2, 3],
    //  [4, 5, 6]]
    private static Tensor Matrix() => tensor(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } });

    [Fact]
    public void Sum_and_mean_reduce_over_a_dimension_with_and_without_keepdim()
    {
        using var scope = NewDisposeScope();
        var m = Matrix();
        Assert.Equal([5.0, 7.0, 9.0], m.sum(0).ToArray<double>());
        Assert.Equal([6.0, 15.0], m.sum(1).ToArray<double>());
        Assert.Equal([2L, 1L], m.sum(1, keepdim: true).shape);
        Assert.Equal([2.0, 5.0], m.mean(-1).ToArray<double>());
        Assert.Equal(21.0, m.sum([0, 1]).item<double>());
        Assert.Equal(3.5, m.mean().item<double>());
    }

    [Fact]
    public void Prod_std_var_and_norm_match_hand_computation()
    {
        using var scope = NewDisposeScope();
        var m = Matrix();
        Assert.Equal(720.0, m.prod().item<double>());
        Assert.Equal([4.0, 10.0, 18.0], m.prod(0).ToArray<double>());
        // values 1..6: mean 3.5, squared deviations sum to 17.5
        Assert.Equal(17.5 / 5, m.var().item<double>(), 1e-12);
        Assert.Equal(17.5 / 6, m.var(unbiased: false).item<double>(), 1e-12);
        Assert.Equal(Math.Sqrt(17.5 / 5), m.std().item<double>(), 1e-12);
        Assert.Equal([1.0, 1.0], m.std(1).ToArray<double>());
        Assert.Equal(Math.Sqrt(91), m.norm().item<double>(), 1e-12);
        Assert.Equal(21.0, m.norm(1).item<double>(), 1e-12);
        Assert.Equal([Math.Sqrt(14), Math.Sqrt(77)], m.norm(1, keepdim: false).ToArray<double>());
    }

    [Fact]
    public void Max_and_min_over_a_dimension_return_values_and_indexes()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[,] { { 3, 9, 1 }, { 7, 2, 8 } });
        var (values, indexes) = x.max(1);
        Assert.Equal([9f, 8f], values.ToArray<float>());
        Assert.Equal([1L, 2L], indexes.ToArray<long>());
        var (minValues, minIndexes) = x.min(0, keepdim: true);
        Assert.Equal([1L, 3L], minValues.shape);
        Assert.Equal([3f, 2f, 1f], minValues.ToArray<float>());
        Assert.Equal([0L, 1L, 0L], minIndexes.ToArray<long>());
        Assert.Equal(9f, x.max().item<float>());
        Assert.Equal(1f, x.min().item<float>());
    }

    [Fact]
    public void Argmax_and_argmin_index_the_flattened_tensor_or_a_dimension()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[,] { { 3, 9, 1 }, { 7, 2, 8 } });
        Assert.Equal(1L, x.argmax().item<long>());
        Assert.Equal(2L, x.argmin().item<long>());
        Assert.Equal([1L, 0L, 1L], x.argmax(0).ToArray<long>());
        Assert.Equal([2L, 1L], x.argmin(1).ToArray<long>());
        Assert.Equal([2L, 1L], x.argmax(1, keepdim: true).shape);
    }

    [Fact]
    public void Topk_returns_the_k_largest_or_smallest_with_indexes()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 5f, 1f, 9f, 3f, 7f });
        var (values, indexes) = x.topk(3);
        Assert.Equal([9f, 7f, 5f], values.ToArray<float>());
        Assert.Equal([2L, 4L, 0L], indexes.ToArray<long>());
        var (small, smallIndexes) = topk(x, 2, largest: false);
        Assert.Equal([1f, 3f], small.ToArray<float>());
        Assert.Equal([1L, 3L], smallIndexes.ToArray<long>());
        var (sorted, order) = x.sort(descending: true);
        Assert.Equal([9f, 7f, 5f, 3f, 1f], sorted.ToArray<float>());
        Assert.Equal([2L, 4L, 0L, 3L, 1L], order.ToArray<long>());
    }

    [Fact]
    public void All_any_and_count_nonzero_test_truth()
    {
        using var scope = NewDisposeScope();
        var b = tensor(new bool[,] { { true, false }, { true, true } });
        Assert.False(b.all().item<byte>() != 0);
        Assert.True(b.any().item<byte>() != 0);
        Assert.Equal([true, false], b.all(0).ToArray<bool>());
        Assert.Equal([false, true], b.all(1).ToArray<bool>());
        Assert.Equal(3L, b.count_nonzero().item<long>());
    }

    [Fact]
    public void Cumsum_cumprod_and_logsumexp_run_along_a_dimension()
    {
        using var scope = NewDisposeScope();
        var m = Matrix();
        Assert.Equal([1.0, 3.0, 6.0, 4.0, 9.0, 15.0], m.cumsum(1).ToArray<double>());
        Assert.Equal([1.0, 2.0, 3.0, 4.0, 10.0, 18.0], m.cumprod(0).ToArray<double>());
        var lse = m.logsumexp(1).ToArray<double>();
        Assert.Equal(Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3)), lse[0], 1e-12);
        Assert.Equal(Math.Log(Math.Exp(4) + Math.Exp(5) + Math.Exp(6)), lse[1], 1e-12);
    }
}
