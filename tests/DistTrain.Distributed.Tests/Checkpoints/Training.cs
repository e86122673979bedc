using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DistTrain.Distributed.Tests.Checkpoints;

/// <summary>A small model and optimizer trained on data drawn from torch's generator, so a resumed run repeats only if the generator was restored too.</summary>
internal static class Training
{
    public static nn.Module<Tensor, Tensor> Model(long seed, int inputs = 6)
    {
        random.manual_seed(seed);
        return nn.Sequential(nn.Linear(inputs, 16), nn.ReLU(), nn.Linear(16, 3));
    }

    public static OptimizerHelper Optimizer(string kind, nn.Module model) => kind switch
    {
        "adam" => optim.Adam(model.parameters(), lr: 0.01, amsgrad: true),
        "adamw" => optim.AdamW(model.parameters(), lr: 0.01),
        "sgd" => optim.SGD(model.parameters(), learningRate: 0.05, momentum: 0.9, nesterov: true),
        _ => throw new ArgumentException(kind),
    };

    public static void Steps(nn.Module<Tensor, Tensor> model, OptimizerHelper optimizer, int steps, int inputs = 6)
    {
        for (var i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            var x = randn(8, inputs);
            var y = randint(0, 3, [8]);
            optimizer.zero_grad();
            nn.functional.cross_entropy(model.call(x), y).backward();
            optimizer.step();
        }
    }

    /// <summary>Every tensor of the model, by name, as bytes.</summary>
    public static Dictionary<string, byte[]> Weights(nn.Module model) =>
        model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.contiguous().bytes.ToArray());
}
