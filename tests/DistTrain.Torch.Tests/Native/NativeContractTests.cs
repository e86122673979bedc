using DistTrain.Torch;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Tests.Native;

public class NativeContractTests
{
    [Fact]
    public void Matmul_shape_mismatch_throws_libtorchs_own_message()
    {
        using var a = zeros(2, 3);
        using var b = zeros(4, 5);
        var error = Assert.Throws<TorchException>(() => a.matmul(b));
        Assert.Equal("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)", error.Message);
    }

    [Fact]
    public void Process_keeps_working_after_a_native_error()
    {
        using var a = ones(2, 2);
        Assert.Throws<TorchException>(() => a.matmul(ones(3, 3)));
        using var product = a.matmul(a);
        Assert.Equal([2f, 2f, 2f, 2f], product.ToArray<float>());
    }

    [Fact]
    public void Disposed_tensor_throws_ObjectDisposedException_instead_of_crashing()
    {
        var t = zeros(2);
        t.Dispose();
        Assert.True(t.IsInvalid);
        Assert.Throws<ObjectDisposedException>(() => t.numel());
        t.Dispose(); // a second dispose is harmless
    }

    [Fact]
    public void Dispose_scope_disposes_what_was_created_inside_and_keeps_what_moved_out()
    {
        Tensor kept, dropped;
        using (var scope = NewDisposeScope())
        {
            dropped = ones(3);
            kept = (dropped * 2).MoveToOuterDisposeScope();
            Assert.Equal(1, scope.Count);
        }
        Assert.True(dropped.IsInvalid);
        Assert.False(kept.IsInvalid);
        Assert.Equal([2f, 2f, 2f], kept.ToArray<float>());
        kept.Dispose();
    }

    [Fact]
    public void Nested_dispose_scopes_hand_moved_tensors_to_the_enclosing_scope()
    {
        Tensor moved;
        using (var outer = NewDisposeScope())
        {
            using (NewDisposeScope())
            {
                moved = ones(1).MoveToOuterDisposeScope();
            }
            Assert.False(moved.IsInvalid);
            Assert.Equal(1, outer.Count);
        }
        Assert.True(moved.IsInvalid);
    }

    [Fact]
    public void Copying_out_with_the_wrong_element_type_names_both_types()
    {
        using var t = zeros(2);
        var error = Assert.Throws<ArgumentException>(() => t.ToArray<double>());
        Assert.Contains("Float32", error.Message);
        Assert.Contains("Float64", error.Message);
    }
}
