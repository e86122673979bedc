using DistTrain.Parallel;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DistTrain.Distributed.Tests.Parallel;

public sealed class FrozenBatchNormTests
{
    private static readonly long[] Shape = [4, 1, 4, 4];

    [Fact]
    public void A_wholly_frozen_batchnorm_keeps_its_running_statistics_through_train_and_forward()
    {
        using var net = ParameterFreezingTests.Net();
        var frozen = net.freeze("conv.*", "bn.*");
        Assert.Equal(["bn"], frozen.BatchNormInEval);
        Assert.EndsWith("; 1 BatchNorm layers kept in eval mode", frozen.ToString());
        Assert.Empty(BuffersChangedByTraining(net, Shape));
    }

    [Fact]
    public void A_partly_frozen_batchnorm_still_updates_its_statistics()
    {
        using var net = ParameterFreezingTests.Net();
        Assert.Empty(net.freeze("conv.*", "bn.weight").BatchNormInEval);
        Assert.Contains("bn.running_mean", BuffersChangedByTraining(net, Shape));
    }

    [Fact]
    public void Unfreezing_a_batchnorm_lets_train_update_its_statistics_again()
    {
        using var net = ParameterFreezingTests.Net();
        net.freeze("bn.*");
        foreach (var p in net.named_modules().Single(m => m.name == "bn").module.parameters()) p.requires_grad = true;
        Assert.Contains("bn.running_mean", BuffersChangedByTraining(net, Shape));
    }

    [Fact]
    public void Torchvision_resnet18_with_its_backbone_frozen_keeps_every_batchnorm_statistic()
    {
        manual_seed(1);
        using var net = torchvision.models.resnet18(num_classes: 2);
        Assert.Equal(20, net.freeze("conv1.*", "bn1.*", "layer*").BatchNormInEval.Count);
        Assert.Empty(BuffersChangedByTraining(net, [2, 3, 32, 32]));
    }

    // The buffers that differ bitwise after model.train() (what every loop calls, so it must not undo the freeze) and one forward of random input.
    private static string[] BuffersChangedByTraining(nn.Module<Tensor, Tensor> net, long[] inputShape)
    {
        var before = net.named_buffers().ToDictionary(b => b.name, b => b.buffer.clone());
        net.train();
        using (var scope = NewDisposeScope()) net.call(randn(inputShape) * 3 + 1);
        return net.named_buffers().Where(b => !b.buffer.contiguous().bytes.SequenceEqual(before[b.name].contiguous().bytes)).Select(b => b.name).ToArray();
    }
}
