using DistTrain.Examples.Cifar;
using TorchSharp;
using static TorchSharp.torch;

namespace DistTrain.Examples.Tests.Cifar;

/// <summary>The ResNet example's <c>--cifar-stem</c>: TorchVision's resnet18 with conv1 3×3 / stride 1 and no max-pool.</summary>
public sealed class CifarStemTests
{
    [Fact]
    public void The_cifar_stem_keeps_torchvision_names_reaches_layer4_at_4x4_and_gives_10_logits()
    {
        manual_seed(1);
        using var imagenet = ResNetCifarTrainer.Model(10);
        using var net = ResNetCifarTrainer.WithCifarStem(ResNetCifarTrainer.Model(10));
        Assert.Equal(imagenet.state_dict().Keys.Order(), net.state_dict().Keys.Order());
        Assert.Equal([64L, 3, 3, 3], net.state_dict()["conv1.weight"].shape);
        Assert.DoesNotContain(net.named_children(), c => c.name == "maxpool");

        net.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var x = randn(2, 3, 32, 32);
        var h = x;
        foreach (var (name, module) in net.named_children().TakeWhile(c => c.name != "avgpool"))
            h = ((nn.Module<Tensor, Tensor>)module).call(h);
        Assert.Equal([2L, 512, 4, 4], h.shape); // the ImageNet stem leaves 1×1 here
        Assert.Equal([2L, 10], net.call(x).shape);
    }

    [Fact]
    public void Resnet18_with_the_cifar_stem_learns_a_small_batch()
    {
        manual_seed(2);
        using var net = ResNetCifarTrainer.WithCifarStem(ResNetCifarTrainer.Model(4));
        using var x = randn(8, 3, 32, 32);
        using var y = tensor(new long[] { 0, 1, 2, 3, 0, 1, 2, 3 });
        using var optimizer = optim.SGD(net.parameters(), 0.05, momentum: 0.9);
        var losses = new List<float>();
        for (var step = 0; step < 8; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(net.call(x), y);
            loss.backward();
            optimizer.step();
            losses.Add(loss.item<float>());
        }
        Assert.True(losses[^1] < 0.5 * losses[0], $"the loss went {string.Join(" → ", losses.Select(l => l.ToString("F3")))}");
    }
}
