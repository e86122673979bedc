using DistTrain.Torch;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Tests.Tensors;

public class ShapeTests
{
    [Fact]
    public void Reshape_and_view_infer_minus_one_and_keep_row_major_order()
    {
        using var scope = NewDisposeScope();
        var x = arange(6);
        var r = x.reshape(2, -1);
        Assert.Equal([2L, 3L], r.shape);
        Assert.Equal([0L, 1, 2, 3, 4, 5], r.ToArray<long>());
        Assert.Equal([3L, 2L], x.view(3, 2).shape);
        Assert.Equal([3L, 2L], x.view_as(zeros(3, 2)).shape);
    }

    [Fact]
    public void Permute_and_transpose_reorder_elements()
    {
        using var scope = NewDisposeScope();
        var x = arange(6).reshape(2, 3);
        // transposed: [[0,3],[1,4],[2,5]]
        Assert.Equal([0L, 3, 1, 4, 2, 5], x.t().contiguous().ToArray<long>());
        Assert.Equal([0L, 3, 1, 4, 2, 5], x.transpose(0, 1).ToArray<long>());
        var y = arange(24).reshape(2, 3, 4).permute(2, 0, 1);
        Assert.Equal([4L, 2L, 3L], y.shape);
        // y[k, i, j] = x[i, j, k] = 12 i + 4 j + k; y[1, 1, 2] = 12 + 8 + 1
        Assert.Equal(21L, y.select(0, 1).select(0, 1).select(0, 2).item<long>());
        Assert.False(y.is_contiguous());
    }

    [Fact]
    public void Flatten_unflatten_squeeze_and_unsqueeze_change_only_the_shape()
    {
        using var scope = NewDisposeScope();
        var x = zeros(2, 1, 3, 4);
        Assert.Equal([24L], x.flatten().shape);
        Assert.Equal([2L, 12L], x.flatten(1).shape);
        Assert.Equal([2L, 3L, 1L, 4L], x.flatten(1, 2).unflatten(1, 3, -1).shape);
        Assert.Equal([2L, 3L, 4L], x.squeeze().shape);
        Assert.Equal([2L, 3L, 4L], x.squeeze(1).shape);
        Assert.Equal([2L, 1L, 3L, 4L], x.squeeze(0).shape);
        Assert.Equal([2L, 1L, 3L, 4L, 1L], x.unsqueeze(-1).shape);
    }

    [Fact]
    public void Expand_broadcasts_and_repeat_tiles()
    {
        using var scope = NewDisposeScope();
        var col = tensor(new[] { 1, 2 }).reshape(2, 1);
        Assert.Equal([1, 1, 1, 2, 2, 2], col.expand(2, 3).contiguous().ToArray<int>());
        Assert.Equal([1, 1, 1, 2, 2, 2], col.expand_as(zeros(2, 3)).contiguous().ToArray<int>());
        Assert.Equal([1, 2, 1, 2], tensor(new[] { 1, 2 }).repeat(2).ToArray<int>());
        Assert.Equal([2L, 4L], tensor(new[] { 1, 2 }).repeat(2, 2).shape);
        Assert.Equal([3, 2, 1], tensor(new[] { 1, 2, 3 }).flip(0).ToArray<int>());
    }

    [Fact]
    public void Narrow_and_select_view_part_of_a_dimension()
    {
        using var scope = NewDisposeScope();
        var x = arange(12).reshape(3, 4);
        Assert.Equal([1L, 2, 5, 6, 9, 10], x.narrow(1, 1, 2).contiguous().ToArray<long>());
        Assert.Equal([4L, 5, 6, 7], x.select(0, 1).ToArray<long>());
        Assert.Equal([2L, 6, 10], x.select(1, 2).ToArray<long>());
    }

    [Fact]
    public void Matrix_products_follow_their_shapes()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new double[,] { { 1, 2 }, { 3, 4 } });
        var b = tensor(new double[,] { { 5, 6 }, { 7, 8 } });
        Assert.Equal([19.0, 22, 43, 50], a.mm(b).ToArray<double>());
        Assert.Equal([2L, 2L, 2L], stack([a, b]).bmm(stack([b, a])).shape);
        Assert.Equal(11.0, tensor(new[] { 1.0, 2.0 }).dot(tensor(new[] { 3.0, 4.0 })).item<double>());
        Assert.Equal([3.0, 4, 6, 8], outer(tensor(new[] { 1.0, 2.0 }), tensor(new[] { 3.0, 4.0 })).ToArray<double>());
        // 2·I + 1·(a·b)
        Assert.Equal([21.0, 22, 43, 52], eye(2, dtype: ScalarType.Float64).addmm(a, b, beta: 2).ToArray<double>());
    }
}
