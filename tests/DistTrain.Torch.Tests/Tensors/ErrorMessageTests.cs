using DistTrain.Torch;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Tests.Tensors;

/// <summary>Bad calls fail with libtorch's own message (the text PyTorch users know), as a TorchException.</summary>
public class ErrorMessageTests
{
    [Fact]
    public void Reshape_to_an_impossible_size_fails_with_libtorchs_message()
    {
        using var x = arange(6);
        var error = Assert.Throws<TorchException>(() => x.reshape(4, 2));
        Assert.Equal("shape '[4, 2]' is invalid for input of size 6", error.Message);
    }

    [Fact]
    public void View_of_a_transposed_tensor_suggests_reshape()
    {
        using var scope = NewDisposeScope();
        var t = arange(6).reshape(2, 3).t();
        var error = Assert.Throws<TorchException>(() => t.view(6));
        Assert.StartsWith("view size is not compatible with input tensor's size and stride", error.Message);
        Assert.Contains("Use .reshape(...) instead.", error.Message);
    }

    [Fact]
    public void Cat_of_mismatched_shapes_names_the_offending_tensor()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<TorchException>(() => cat([ones(2, 3), ones(2, 4)]));
        Assert.Equal("Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 for tensor number 1 in the list.", error.Message);
    }

    [Fact]
    public void Broadcasting_mismatch_names_both_sizes()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<TorchException>(() => ones(2, 3) + ones(4));
        Assert.Equal("The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1", error.Message);
    }

    [Fact]
    public void Reducing_over_a_missing_dimension_reports_the_valid_range()
    {
        using var x = ones(2);
        var error = Assert.Throws<TorchException>(() => x.sum(3));
        Assert.Equal("Dimension out of range (expected to be in range of [-1, 0], but got 3)", error.Message);
        Assert.Equal(error.Message, Assert.Throws<TorchException>(() => x.split(1, 3)).Message);
    }

    [Fact]
    public void In_place_change_of_a_leaf_that_requires_grad_is_refused()
    {
        using var x = ones([3], requires_grad: true);
        var error = Assert.Throws<TorchException>(() => x.exp_());
        Assert.StartsWith("a leaf Variable that requires grad is being used in an in-place operation.", error.Message);
        using (no_grad()) x.mul_(2); // allowed without recording, as in PyTorch
        Assert.Equal([2f, 2f, 2f], x.ToArray<float>());
    }
}
