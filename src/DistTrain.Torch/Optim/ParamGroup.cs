namespace DistTrain.Torch.Optim;

/// <summary>
/// A set of parameters optimized with the same hyper-parameters, as an entry of PyTorch's
/// <c>optimizer.param_groups</c>. Hyper-parameters are read and written by their PyTorch names
/// (<c>group["momentum"]</c>; booleans as 0 or 1); a change takes effect at the next <c>step()</c>.
/// </summary>
public sealed class ParamGroup
{
    private readonly Dictionary<string, double> overrides;
    private string[] names = [];
    private double[] values = [];

    /// <summary>
    /// A group of <paramref name="parameters"/>. Hyper-parameters not given here (<paramref name="lr"/>,
    /// or any in <paramref name="options"/> by PyTorch name, e.g. "weight_decay") take the optimizer's defaults.
    /// </summary>
    public ParamGroup(IEnumerable<torch.Tensor> parameters, double? lr = null, IReadOnlyDictionary<string, double>? options = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        this.parameters = parameters.ToArray();
        overrides = options is null ? new() : new(options);
        if (lr is { } rate) overrides["lr"] = rate;
    }

    /// <summary>The parameters this group updates.</summary>
    public IReadOnlyList<torch.Tensor> parameters { get; }

    /// <summary>The learning rate.</summary>
    public double lr
    {
        get => this["lr"];
        set => this["lr"] = value;
    }

    /// <summary>The learning rate a scheduler started from (set by the first scheduler attached), or null.</summary>
    public double? initial_lr { get; set; }

    /// <summary>A hyper-parameter by its PyTorch name.</summary>
    /// <exception cref="KeyNotFoundException">When this optimizer has no hyper-parameter of that name.</exception>
    public double this[string name]
    {
        get => values[IndexOf(name)];
        set
        {
            var i = IndexOf(name);
            if (values[i] == value) return;
            values[i] = value;
            Dirty = true;
        }
    }

    /// <summary>The names of this group's hyper-parameters, in the optimizer's order.</summary>
    public IReadOnlyList<string> OptionNames => names;

    internal bool Dirty { get; set; }

    internal double[] Values => values;

    /// <summary>Fills the hyper-parameters from the optimizer's defaults and this group's overrides.</summary>
    internal void Bind(string[] optionNames, double[] defaults)
    {
        foreach (var key in overrides.Keys)
            if (Array.IndexOf(optionNames, key) < 0)
                throw new ArgumentException($"The parameter group sets '{key}', which this optimizer does not have; its options are: {string.Join(", ", optionNames)}.");
        names = optionNames;
        values = optionNames.Select((n, i) => overrides.TryGetValue(n, out var v) ? v : defaults[i]).ToArray();
    }

    private int IndexOf(string name)
    {
        var i = Array.IndexOf(names, name);
        if (i < 0) throw new KeyNotFoundException($"The optimizer has no hyper-parameter '{name}'; its options are: {string.Join(", ", names)}.");
        return i;
    }
}
