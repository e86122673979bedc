using DistTrain.Torch;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Tests.Tensors;

public class IndexingTests
{
    // x = [[ 0,  1,  2,  3],
    //      [ 4,  5,  6,  7],
    //      [ 8,  9, 10, 11]]
    private static Tensor Grid() => arange(12).reshape(3, 4);

    [Fact]
    public void Integer_indices_select_rows_and_elements_counting_negatives_from_the_end()
    {
        using var scope = NewDisposeScope();
        var x = Grid();
        Assert.Equal([4L, 5, 6, 7], x[1].ToArray<long>());
        Assert.Equal(6L, x[1, 2].item<long>());
        Assert.Equal(11L, x[-1, -1].item<long>());
        Assert.Empty(x[1, 2].shape);
    }

    [Fact]
    public void Slices_and_ranges_select_spans_with_steps()
    {
        using var scope = NewDisposeScope();
        var x = Grid();
        Assert.Equal([1L, 3, 5, 7, 9, 11], x[TensorIndex.Colon, TensorIndex.Slice(1, null, 2)].contiguous().ToArray<long>());
        Assert.Equal([4L, 5, 6, 7, 8, 9, 10, 11], x[1..].contiguous().ToArray<long>());
        Assert.Equal([1L, 2, 5, 6], x[..2, 1..3].contiguous().ToArray<long>());
        Assert.Equal([0L, 1, 2, 4, 5, 6, 8, 9, 10], x[.., ..^1].contiguous().ToArray<long>());
        Assert.Equal([2L, 3, 6, 7, 10, 11], x[TensorIndex.Ellipsis, ^2..].contiguous().ToArray<long>());
        Assert.Equal([0L, 4L], x[^0..].shape);
        Assert.Equal([2L, 4L], x[^2..].shape);
    }

    [Fact]
    public void None_adds_a_dimension_and_ellipsis_fills_the_rest()
    {
        using var scope = NewDisposeScope();
        var x = Grid();
        Assert.Equal([1L, 3L, 4L], x[TensorIndex.None].shape);
        Assert.Equal([3L, 1L, 4L], x[TensorIndex.Colon, TensorIndex.None].shape);
        Assert.Equal([3L], x[TensorIndex.Ellipsis, 0].shape);
        Assert.Equal([0L, 4, 8], x[TensorIndex.Ellipsis, 0].ToArray<long>());
    }

    [Fact]
    public void Tensor_indices_pick_positions_and_bool_masks_pick_elements()
    {
        using var scope = NewDisposeScope();
        var x = Grid();
        Assert.Equal([8L, 9, 10, 11, 0, 1, 2, 3], x[tensor(new long[] { 2, 0 })].ToArray<long>());
        Assert.Equal([7L, 9, 11], x[x > 6 & x.remainder(2).eq(1)].ToArray<long>());
        Assert.Equal([1L, 11], x[tensor(new long[] { 0, 2 }), tensor(new long[] { 1, 3 })].ToArray<long>());
    }

    [Fact]
    public void Setting_through_an_index_writes_into_the_tensor()
    {
        using var scope = NewDisposeScope();
        var x = Grid();
        x[0] = zeros([4], ScalarType.Int64);
        x[1, 1] = tensor(-5L);
        x[TensorIndex.Colon, 3] = tensor(new long[] { -1, -2, -3 });
        x.index_put_(99, x > 9);
        Assert.Equal([0L, 0, 0, -1, 4, -5, 6, -2, 8, 9, 99, -3], x.ToArray<long>());
    }

    [Fact]
    public void Index_select_gather_and_scatter_move_values_by_position()
    {
        using var scope = NewDisposeScope();
        var x = Grid();
        Assert.Equal([0L, 3, 4, 7, 8, 11], x.index_select(1, tensor(new long[] { 0, 3 })).ToArray<long>());
        // gather along 1: out[i][j] = x[i][index[i][j]]
        var index = tensor(new long[,] { { 3, 0 }, { 1, 1 }, { 2, 0 } });
        Assert.Equal([3L, 0, 5, 5, 10, 8], x.gather(1, index).ToArray<long>());
        var target = zeros(2, 3);
        target.scatter_(1, tensor(new long[,] { { 2 }, { 0 } }), tensor(new float[,] { { 5 }, { 7 } }));
        Assert.Equal([0f, 0, 5, 7, 0, 0], target.ToArray<float>());
        target.scatter_(1, tensor(new long[,] { { 1 }, { 1 } }), 9);
        Assert.Equal([0f, 9, 5, 7, 9, 0], target.ToArray<float>());
        var fresh = zeros(2, 3).scatter(0, tensor(new long[,] { { 1, 0, 1 } }), ones(1, 3));
        Assert.Equal([0f, 1, 0, 1, 0, 1], fresh.ToArray<float>());
    }

    [Fact]
    public void Masked_fill_and_nonzero_follow_the_mask()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1f, -2f, 3f, -4f });
        Assert.Equal([1f, 0f, 3f, 0f], x.masked_fill(x < 0, 0).ToArray<float>());
        x.masked_fill_(x > 0, -1);
        Assert.Equal([-1f, -2f, -1f, -4f], x.ToArray<float>());
        var nz = tensor(new[,] { { 0, 1 }, { 2, 0 } }).nonzero();
        Assert.Equal([2L, 2L], nz.shape);
        Assert.Equal([0L, 1, 1, 0], nz.ToArray<long>());
    }

    [Fact]
    public void An_index_out_of_range_fails_with_libtorchs_message()
    {
        using var x = arange(6);
        var error = Assert.Throws<TorchException>(() => x[7]);
        Assert.Equal("select(): index 7 out of range for tensor of size [6] at dimension 0", error.Message);
        var viaList = Assert.Throws<TorchException>(() => x[tensor(new long[] { 1, 9 })]);
        Assert.Contains("index 9 is out of bounds for dimension 0 with size 6", viaList.Message);
    }
}
