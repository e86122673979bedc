using DistTrain.Parallel;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DistTrain.Distributed.Tests.Parallel;

public sealed class ParameterFreezingTests
{
    internal static nn.Module<Tensor, Tensor> Net() => nn.Sequential(
        ("conv", nn.Conv2d(1, 2, 3)), ("bn", nn.BatchNorm2d(2)), ("flatten", nn.Flatten()), ("fc", nn.Linear(8, 3)));

    [Fact]
    public void Freeze_sets_requires_grad_false_on_the_names_its_globs_match_and_counts_both_sides()
    {
        using var net = Net();
        var frozen = net.freeze("conv.*", "bn.w?ight");
        Assert.Equal(["conv.weight", "conv.bias", "bn.weight"], frozen.Frozen);
        Assert.Equal(18 + 2 + 2, frozen.FrozenValues);
        Assert.Equal(3, frozen.Trainable); // bn.bias, fc.weight, fc.bias
        Assert.Equal(2 + 24 + 3, frozen.TrainableValues);
        Assert.All(net.named_parameters(), p => Assert.Equal(!frozen.Frozen.Contains(p.name), p.parameter.requires_grad));
        Assert.Equal("froze 3 of 6 parameter tensors (22 of 51 values)", frozen.ToString());
    }

    [Fact]
    public void A_star_matches_across_dots()
    {
        using var net = nn.Sequential(("block", nn.Sequential(("inner", nn.Linear(2, 2)))), ("head", nn.Linear(2, 1)));
        Assert.Equal(["block.inner.weight", "block.inner.bias"], net.freeze("block*").Frozen);
    }

    [Fact]
    public void A_pattern_that_matches_nothing_is_refused_naming_the_pattern_and_some_names()
    {
        using var net = Net();
        var e = Assert.Throws<ArgumentException>(() => net.freeze("conv.*", "layer1.*"));
        Assert.Contains("'layer1.*' matches no parameter", e.Message);
        Assert.Contains("conv.weight", e.Message);
        Assert.All(net.parameters(), p => Assert.True(p.requires_grad)); // nothing frozen by a refused call
    }

    [Fact]
    public void No_pattern_or_an_empty_one_is_refused()
    {
        using var net = Net();
        Assert.Throws<ArgumentException>(() => net.freeze());
        Assert.Throws<ArgumentException>(() => net.freeze(" "));
    }
}
