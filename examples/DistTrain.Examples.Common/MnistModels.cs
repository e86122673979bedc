using TorchSharp;
using static TorchSharp.torch;

namespace DistTrain.Examples;

/// <summary>The MNIST models of the examples and of the engine benchmark (bench/engine/pytorch_engine.py builds the same).</summary>
public static class MnistModels
{
    /// <summary>A multi-layer perceptron 784-512-256-10 with ReLU; input [N, 1, 28, 28], output logits [N, 10].</summary>
    public static nn.Module<Tensor, Tensor> Mlp() => nn.Sequential(
        ("flatten", nn.Flatten()),
        ("fc1", nn.Linear(784, 512)), ("relu1", nn.ReLU()),
        ("fc2", nn.Linear(512, 256)), ("relu2", nn.ReLU()),
        ("fc3", nn.Linear(256, 10)));

    /// <summary>
    /// A small CNN: conv(1→32, 3×3) → ReLU → max-pool 2 → conv(32→64, 3×3) → ReLU → max-pool 2 → flatten (1600)
    /// → fc 128 → ReLU → fc 10. Input [N, 1, 28, 28], output logits [N, 10].
    /// </summary>
    public static nn.Module<Tensor, Tensor> Cnn() => nn.Sequential(
        ("conv1", nn.Conv2d(1, 32, 3)), ("relu1", nn.ReLU()), ("pool1", nn.MaxPool2d(2)),
        ("conv2", nn.Conv2d(32, 64, 3)), ("relu2", nn.ReLU()), ("pool2", nn.MaxPool2d(2)),
        ("flatten", nn.Flatten()),
        ("fc1", nn.Linear(1600, 128)), ("relu3", nn.ReLU()),
        ("fc2", nn.Linear(128, 10)));
}
