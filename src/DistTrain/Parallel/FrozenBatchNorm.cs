using System.Runtime.CompilerServices;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DistTrain.Parallel;

/// <summary>
/// BatchNorm layers kept in evaluation mode while frozen, what PyTorch users get with <c>bn.eval()</c> after
/// freezing a backbone: a BatchNorm layer whose every parameter is frozen (requires_grad = false) normalises with
/// its running statistics and no longer updates them (running_mean, running_var and num_batches_tracked stay
/// bitwise as loaded), in training as in evaluation.
/// </summary>
/// <remarks>
/// A plain <c>bn.eval()</c> is undone by the next <c>model.train()</c>, which every training loop calls (and so
/// do DistTrain's trainer and evaluation helpers). So each such layer gets a forward pre-hook that puts it back in
/// evaluation mode before each forward while all its parameters are still frozen: whatever called
/// <c>train()</c> since, the layer runs as in eval. Between a <c>train()</c> and the next forward its
/// <c>training</c> flag reads true; the statistics are never touched. Unfreezing one of its parameters ends it:
/// the hook then leaves the layer alone and the next <c>train()</c> makes it update its statistics again.
/// </remarks>
public static class FrozenBatchNorm
{
    private static readonly ConditionalWeakTable<nn.Module, object> Hooked = new();

    /// <summary>
    /// Keeps every BatchNorm layer (1d, 2d, 3d) of <paramref name="module"/> whose parameters are all frozen in
    /// evaluation mode from now on (see the remarks of <see cref="FrozenBatchNorm"/>). Called by
    /// <see cref="ParameterFreezing.freeze"/>; calling it again (after more freezing) is safe.
    /// </summary>
    /// <returns>The names of those layers (as in <c>named_modules()</c>), in registration order.</returns>
    public static IReadOnlyList<string> eval_frozen_batchnorm(this nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var kept = new List<string>();
        foreach (var (name, layer) in module.named_modules())
        {
            if (layer is not (BatchNorm1d or BatchNorm2d or BatchNorm3d) || !IsFrozen(layer)) continue;
            layer.eval();
            if (!Hooked.TryGetValue(layer, out _))
            {
                Hooked.Add(layer, new object());
                ((nn.Module<Tensor, Tensor>)layer).register_forward_pre_hook((self, input) =>
                {
                    if (self.training && IsFrozen(self)) self.eval();
                    return input;
                });
            }
            kept.Add(name);
        }
        return kept;
    }

    // A layer with parameters, none of which trains (affine = false leaves nothing to freeze: such a layer is not "frozen").
    private static bool IsFrozen(nn.Module layer)
    {
        var parameters = layer.parameters(recurse: false).ToArray();
        return parameters.Length > 0 && parameters.All(p => !p.requires_grad);
    }
}
