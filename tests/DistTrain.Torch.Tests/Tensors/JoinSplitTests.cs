using DistTrain.Torch;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Tests.Tensors;

public class JoinSplitTests
{
    [Fact]
    public void Cat_joins_along_an_existing_dimension_and_stack_along_a_new_one()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new[] { 1, 2 });
        var b = tensor(new[] { 3, 4 });
        Assert.Equal([1, 2, 3, 4], cat([a, b]).ToArray<int>());
        Assert.Equal([2L, 2L], stack([a, b]).shape);
        Assert.Equal([1, 3, 2, 4], stack([a, b], 1).ToArray<int>());
        Assert.Equal([2L, 4L], cat(new List<Tensor> { a.reshape(2, 1), b.reshape(2, 1), a.reshape(2, 1), b.reshape(2, 1) }, 1).shape);
    }

    [Fact]
    public void Split_by_size_leaves_a_smaller_last_piece()
    {
        using var scope = NewDisposeScope();
        var pieces = arange(7).split(3);
        Assert.Equal(3, pieces.Length);
        Assert.Equal([0L, 1, 2], pieces[0].ToArray<long>());
        Assert.Equal([6L], pieces[2].ToArray<long>());
    }

    [Fact]
    public void Split_by_sizes_chunk_and_unbind_cut_along_a_dimension()
    {
        using var scope = NewDisposeScope();
        var x = arange(12).reshape(2, 6);
        var bySizes = x.split([1, 2, 3], 1);
        Assert.Equal([2L, 1L], bySizes[0].shape);
        Assert.Equal([3L, 4, 5, 9, 10, 11], bySizes[2].contiguous().ToArray<long>());
        var chunks = x.chunk(4, 1);
        Assert.Equal(3, chunks.Length); // 6 columns in chunks of ceil(6/4) = 2
        Assert.Equal(6, x.chunk(1000, 1).Length); // no more pieces than columns
        var rows = x.unbind();
        Assert.Equal(2, rows.Length);
        Assert.Equal([6L, 7, 8, 9, 10, 11], rows[1].ToArray<long>());
    }

    [Fact]
    public void Split_sizes_that_do_not_add_up_fail_with_libtorchs_message()
    {
        using var x = arange(5);
        var error = Assert.Throws<TorchException>(() => x.split([2, 2]));
        Assert.Contains("split_with_sizes expects split_sizes to sum exactly to 5", error.Message);
    }
}
