using DistTrain.Examples.Cifar;
using DistTrain.Examples.Tests.Support;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace DistTrain.Examples.Tests.Cifar;

/// <summary>The ResNet example's model is torchvision's resnet18: PyTorch's weights give PyTorch's logits.</summary>
public sealed class ResNetParityTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("disttrain-resnet-parity-").FullName;

    [Fact]
    public void Pytorch_resnet18_weights_give_the_same_eval_logits_in_the_example_model_within_1e_4()
    {
        string weights = Path.Combine(dir, "resnet18.safetensors"), check = Path.Combine(dir, "check.safetensors");
        PyTorchResNet.Export(weights, classes: 10, seed: 3, check);

        using var model = ResNetCifarTrainer.Model(10);
        var loaded = new Dictionary<string, bool>();
        model.load_safetensors(weights, strict: true, loadedParameters: loaded);
        Assert.Equal(model.state_dict().Count, loaded.Count(p => p.Value)); // every parameter and buffer, running statistics included
        Assert.Contains("layer4.1.bn2.running_var", loaded.Keys);
        Assert.Contains("bn1.num_batches_tracked", loaded.Keys);
        model.eval();
        var reference = Safetensors.LoadStateDict(check);
        using var _ = no_grad();
        using var logits = model.call(reference["input"]);
        var difference = (logits - reference["logits"]).abs().max().item<float>();
        Assert.True(difference <= 1e-4, $"TorchSharp's logits differ from PyTorch's by {difference}");
        Assert.True(reference["logits"].abs().max().item<float>() > 1e-3, "the reference logits are not all zero"); // a comparison that can fail
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);
}
