using DistTrain.Torch;
using static DistTrain.Torch.torch;

namespace DistTrain.Examples.Xor;

/// <summary>The outcome of training on XOR.</summary>
/// <param name="FinalLoss">Binary cross-entropy after the last epoch.</param>
/// <param name="Outputs">The network's outputs for (0,0), (0,1), (1,0), (1,1), each in (0, 1).</param>
/// <param name="Epochs">Epochs run.</param>
public sealed record XorResult(double FinalLoss, float[] Outputs, int Epochs)
{
    /// <summary>The XOR truth table the outputs should round to.</summary>
    public static readonly float[] Targets = [0, 1, 1, 0];

    /// <summary>True when every output rounds to its XOR target.</summary>
    public bool Solved => Outputs.Select(o => o >= 0.5f ? 1f : 0f).SequenceEqual(Targets);
}

/// <summary>
/// Learns XOR with the classic 2-8-1 network: Linear(2, 8) → tanh → Linear(8, 1) → sigmoid, trained
/// full-batch with binary cross-entropy and SGD.
/// </summary>
public static class XorTrainer
{
    /// <summary>The 2-8-1 network.</summary>
    public static nn.Module<Tensor, Tensor> Network() => nn.Sequential(
        ("hidden", nn.Linear(2, 8)), ("tanh", nn.Tanh()), ("output", nn.Linear(8, 1)), ("sigmoid", nn.Sigmoid()));

    /// <summary>Trains for <paramref name="epochs"/> full-batch steps; <paramref name="progress"/> sees (epoch, loss) every 100 epochs.</summary>
    public static XorResult Train(int epochs = 1000, double lr = 0.5, double momentum = 0.9, int seed = 1, Action<int, double>? progress = null)
    {
        set_num_threads(1);
        manual_seed(seed);
        using var inputs = tensor(new float[] { 0, 0, 0, 1, 1, 0, 1, 1 }, [4, 2]);
        using var targets = tensor(XorResult.Targets, [4, 1]);
        using var net = Network();
        using var optimizer = optim.SGD(net.parameters(), lr, momentum);
        using var criterion = nn.BCELoss();
        double loss = double.NaN;
        for (var epoch = 1; epoch <= epochs; epoch++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var output = criterion.call(net.call(inputs), targets);
            output.backward();
            optimizer.step();
            loss = output.item<float>();
            if (epoch % 100 == 0) progress?.Invoke(epoch, loss);
        }
        using (no_grad())
        using (var outputs = net.call(inputs))
            return new XorResult(loss, outputs.ToArray<float>(), epochs);
    }
}
