using System.Text.RegularExpressions;
using TorchSharp;

namespace DistTrain.Parallel;

/// <summary>What <see cref="ParameterFreezing.freeze"/> froze.</summary>
/// <param name="Frozen">The names of the parameters now frozen (requires_grad = false), in registration order.</param>
/// <param name="FrozenValues">Their elements, all together.</param>
/// <param name="Trainable">The parameters still trained.</param>
/// <param name="TrainableValues">Their elements.</param>
public sealed record FrozenParameters(IReadOnlyList<string> Frozen, long FrozenValues, int Trainable, long TrainableValues)
{
    /// <summary>The BatchNorm layers now wholly frozen and so kept in evaluation mode (<see cref="FrozenBatchNorm"/>).</summary>
    public IReadOnlyList<string> BatchNormInEval { get; init; } = [];

    /// <summary>"froze 60 of 62 parameter tensors (11,176,512 of 11,177,538 values); 20 BatchNorm layers kept in eval mode".</summary>
    public override string ToString() =>
        $"froze {Frozen.Count} of {Frozen.Count + Trainable} parameter tensors ({FrozenValues:N0} of {FrozenValues + TrainableValues:N0} values)" +
        (BatchNormInEval.Count > 0 ? $"; {BatchNormInEval.Count} BatchNorm layers kept in eval mode" : "");
}

/// <summary>
/// Freezing parameters by name for transfer learning: <c>model.freeze("conv1.*", "bn1.*", "layer*")</c> sets
/// requires_grad = false on every parameter whose full name (as in <c>named_parameters()</c>, e.g.
/// <c>layer1.0.conv1.weight</c>) matches one of the patterns. Freeze before wrapping the model in
/// <see cref="DistributedDataParallel"/>: it buckets and reduces only the parameters that require grad when it is
/// built, so frozen ones take no bucket space and no all-reduce. A BatchNorm layer whose parameters are all frozen
/// is kept in evaluation mode from then on, even after <c>model.train()</c> (<see cref="FrozenBatchNorm"/>): its
/// running statistics, buffers rather than parameters, stay as loaded too. Freeze only some of a layer's
/// parameters (its weight, say) to let its statistics adapt.
/// </summary>
public static class ParameterFreezing
{
    /// <summary>Freezes the parameters of <paramref name="module"/> whose names match any of <paramref name="patterns"/>.</summary>
    /// <param name="module">The model.</param>
    /// <param name="patterns">Globs over whole names: <c>*</c> any run of characters (dots included), <c>?</c> one character.</param>
    /// <returns>What is frozen, what still trains, and the BatchNorm layers now kept in evaluation mode.</returns>
    /// <exception cref="ArgumentException">No pattern was given, or a pattern matches no parameter (the message lists a few names).</exception>
    public static FrozenParameters freeze(this torch.nn.Module module, params string[] patterns)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(patterns);
        if (patterns.Length == 0) throw new ArgumentException("Give at least one name pattern to freeze, for example \"layer1.*\".", nameof(patterns));
        var named = module.named_parameters().ToArray();
        var globs = patterns.Select(p => (Pattern: p, Regex: Glob(p))).ToArray();
        foreach (var (pattern, regex) in globs)
            if (!named.Any(p => regex.IsMatch(p.name)))
                throw new ArgumentException(
                    $"The pattern '{pattern}' matches no parameter of the model; names look like {string.Join(", ", named.Take(4).Select(p => p.name))}" +
                    (named.Length > 4 ? $" … {named[^1].name}" : "") + ". Use * for any run of characters.", nameof(patterns));
        var frozen = new List<string>();
        long frozenValues = 0, trainableValues = 0;
        var trainable = 0;
        foreach (var (name, parameter) in named)
        {
            if (globs.Any(g => g.Regex.IsMatch(name)))
            {
                parameter.requires_grad = false;
                frozen.Add(name);
                frozenValues += parameter.numel();
            }
            else if (parameter.requires_grad)
            {
                trainable++;
                trainableValues += parameter.numel();
            }
        }
        return new FrozenParameters(frozen, frozenValues, trainable, trainableValues) { BatchNormInEval = module.eval_frozen_batchnorm() };
    }

    private static Regex Glob(string pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern)) throw new ArgumentException("A freeze pattern is empty; give names such as \"layer1.*\".", nameof(pattern));
        return new Regex("^" + Regex.Escape(pattern.Trim()).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.CultureInvariant);
    }
}
