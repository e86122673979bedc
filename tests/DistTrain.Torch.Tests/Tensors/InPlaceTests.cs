using DistTrain.Torch;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Tests.Tensors;

public class InPlaceTests
{
    [Fact]
    public void Arithmetic_in_place_modifies_and_returns_the_same_tensor()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1.0, 2.0, 3.0 });
        var returned = x.add_(tensor(new[] { 1.0, 1.0, 1.0 }), alpha: 2);
        Assert.Same(x, returned);
        Assert.Equal([3.0, 4.0, 5.0], x.ToArray<double>());
        x.sub_(1).mul_(2).div_(tensor(new[] { 2.0, 4.0, 8.0 }));
        Assert.Equal([2.0, 1.5, 1.0], x.ToArray<double>());
        x.pow_(2).sub_(tensor(new[] { 1.0, 1.0, 1.0 }), alpha: 0.25);
        Assert.Equal([3.75, 2.0, 0.75], x.ToArray<double>());
    }

    [Fact]
    public void Element_wise_functions_in_place_change_the_storage_that_views_share()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { -1.0, 0.0, 2.0 });
        var view = x.view(3, 1);
        x.relu_();
        Assert.Equal([0.0, 0.0, 2.0], view.ToArray<double>());
        x.exp_();
        Assert.Equal([1.0, 1.0, Math.Exp(2)], x.ToArray<double>());
        x.clamp_(max: 2).neg_();
        Assert.Equal([-1.0, -1.0, -2.0], x.ToArray<double>());
        x.zero_();
        Assert.Equal([0.0, 0.0, 0.0], view.ToArray<double>());
    }

    [Fact]
    public void Fill_and_copy_overwrite_every_element()
    {
        using var scope = NewDisposeScope();
        var x = zeros(2, 2);
        x.fill_(7);
        Assert.Equal([7f, 7f, 7f, 7f], x.ToArray<float>());
        x.copy_(tensor(new[] { 1.0, 2.0 })); // broadcast over rows and converted to float32
        Assert.Equal([1f, 2f, 1f, 2f], x.ToArray<float>());
    }

    [Fact]
    public void Uniform_fills_within_its_bounds_and_normal_has_the_asked_moments()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var u = empty([100_000], ScalarType.Float64).uniform_(-2, 3);
        Assert.True(u.min().item<double>() >= -2);
        Assert.True(u.max().item<double>() < 3);
        Assert.Equal(0.5, u.mean().item<double>(), 0.03); // (−2 + 3) / 2, standard error ≈ 0.005
        var n = empty([100_000], ScalarType.Float64).normal_(5, 2);
        Assert.Equal(5, n.mean().item<double>(), 0.03);
        Assert.Equal(2, n.std().item<double>(), 0.03);
        var b = empty([100_000], ScalarType.Float64).bernoulli_(0.25);
        Assert.Equal(0.25, b.mean().item<double>(), 0.01);
    }

    [Fact]
    public void Manual_seed_makes_in_place_random_fills_repeatable()
    {
        using var scope = NewDisposeScope();
        manual_seed(42);
        var a = empty(5).normal_();
        manual_seed(42);
        var b = empty(5).normal_();
        Assert.Equal(a.ToArray<float>(), b.ToArray<float>());
        Assert.Equal(42L, random.initial_seed());
    }

    [Fact]
    public void Mul_with_out_writes_the_product_into_a_view_and_returns_it()
    {
        using var scope = NewDisposeScope();
        var flat = zeros(6);
        var view = flat.narrow(0, 2, 3).view(3);
        var returned = mul(tensor(new[] { 1f, 2f, 4f }), 0.5, view);
        Assert.Same(view, returned);
        Assert.Equal([0f, 0f, 0.5f, 1f, 2f, 0f], flat.ToArray<float>());
        // The scalar does not promote: a float32 destination stays float32.
        Assert.Equal(ScalarType.Float32, view.dtype);
    }

    [Fact]
    public void Mul_with_out_of_another_shape_fails_instead_of_resizing_the_view()
    {
        using var scope = NewDisposeScope();
        var view = zeros(6).narrow(0, 0, 4).view(2, 2);
        var error = Assert.Throws<TorchException>(() => mul(ones(3), 2.0, view));
        Assert.Contains("out has shape [2, 2] but the input has shape [3]", error.Message);
    }

    [Fact]
    public void Is_set_to_tells_the_same_view_from_another_view_of_the_same_storage()
    {
        using var scope = NewDisposeScope();
        var flat = zeros(6);
        var first = flat.narrow(0, 0, 3);
        var again = first.alias();
        var second = flat.narrow(0, 3, 3);
        Assert.True(first.is_set_to(again));
        Assert.False(first.is_set_to(second));
        Assert.False(first.is_set_to(first.clone()));
    }
}
