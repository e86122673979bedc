using DistTrain.Examples;
using TorchSharp;
using static TorchSharp.torch;

namespace DistTrain.Bench.Distributed;

/// <summary>The models the distributed benchmarks train, by name.</summary>
internal static class BenchModels
{
    /// <summary>The names <see cref="Create"/> knows.</summary>
    public const string Names = "mlp, cnn or wide";

    /// <summary>
    /// The examples' MNIST MLP or CNN, or "wide": an MLP 784-4096-2048-10, 11.6 M parameters, whose state
    /// with SGD's momentum is 93 MB (a checkpoint of about 100 MB); null for another name.
    /// </summary>
    public static nn.Module<Tensor, Tensor>? Create(string name) => name switch
    {
        "mlp" => MnistModels.Mlp(),
        "cnn" => MnistModels.Cnn(),
        "wide" => nn.Sequential(
            ("flatten", nn.Flatten()),
            ("fc1", nn.Linear(784, 4096)), ("relu1", nn.ReLU()),
            ("fc2", nn.Linear(4096, 2048)), ("relu2", nn.ReLU()),
            ("fc3", nn.Linear(2048, 10))),
        _ => null,
    };
}
