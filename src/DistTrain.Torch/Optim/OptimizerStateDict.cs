namespace DistTrain.Torch.Optim;

/// <summary>
/// An optimizer's state in PyTorch's structure: <see cref="state"/> maps a parameter's index (counted
/// across groups in order) to its named state tensors (SGD: momentum_buffer; Adam: step, exp_avg,
/// exp_avg_sq, max_exp_avg_sq), and <see cref="param_groups"/> holds each group's hyper-parameters
/// (numbers as double, flags as bool, Adam's "betas" as double[2]) and its "params" (int[] of indices).
/// The tensors share storage with the optimizer's state, as in PyTorch; dispose them when done.
/// </summary>
public sealed class OptimizerStateDict : IDisposable
{
    /// <summary>Per-parameter state, keyed by parameter index.</summary>
    public Dictionary<int, Dictionary<string, torch.Tensor>> state { get; } = new();

    /// <summary>Per-group hyper-parameters and parameter indices.</summary>
    public List<Dictionary<string, object>> param_groups { get; } = new();

    /// <summary>Disposes every state tensor held by this dictionary.</summary>
    public void Dispose()
    {
        foreach (var tensors in state.Values)
            foreach (var t in tensors.Values)
                t.Dispose();
        state.Clear();
    }
}
