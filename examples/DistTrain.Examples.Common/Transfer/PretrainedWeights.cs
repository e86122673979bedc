using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace DistTrain.Examples.Transfer;

/// <summary>
/// Loads a state_dict that PyTorch wrote as safetensors (examples/pytorch/export_resnet18.py writes torchvision's
/// resnet18) into a model whose head differs: every parameter and buffer outside the head must be in the file with
/// the same shape; the head keeps its fresh initialisation.
/// </summary>
public static class PretrainedWeights
{
    /// <summary>Loads <paramref name="path"/> into <paramref name="model"/>, all but the keys starting with <paramref name="headPrefix"/>.</summary>
    /// <returns>How many tensors were loaded.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist; the message says how to make one.</exception>
    /// <exception cref="InvalidDataException">The file lacks a tensor of the model or has it in another shape.</exception>
    public static int Load(nn.Module model, string path, string headPrefix)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!File.Exists(path))
            throw new FileNotFoundException(
                $"The pretrained weights '{path}' do not exist. Write torchvision's resnet18 with `/usr/bin/python3 examples/pytorch/export_resnet18.py --out {path}`.", path);
        var saved = Safetensors.LoadStateDict(path);
        try
        {
            var wanted = model.state_dict().Where(p => !p.Key.StartsWith(headPrefix, StringComparison.Ordinal)).ToArray();
            var problems = wanted
                .Select(p => !saved.TryGetValue(p.Key, out var t) ? $"{p.Key} is missing"
                    : !t.shape.SequenceEqual(p.Value.shape) ? $"{p.Key} is [{string.Join(", ", t.shape)}], the model's [{string.Join(", ", p.Value.shape)}]"
                    : null)
                .OfType<string>().ToArray();
            if (problems.Length > 0)
                throw new InvalidDataException(
                    $"'{path}' does not fit the model ({problems.Length} of its {wanted.Length} tensors outside '{headPrefix}*'): {string.Join("; ", problems.Take(5))}. " +
                    "It should be a resnet18 state_dict (examples/pytorch/export_resnet18.py).");
            var skip = saved.Keys.Where(k => k.StartsWith(headPrefix, StringComparison.Ordinal)).ToArray();
            model.load_state_dict(saved, strict: false, skip: skip);
            return wanted.Length;
        }
        finally
        {
            foreach (var tensor in saved.Values) tensor.Dispose();
        }
    }
}
