using System.Text.Json;
using DistTrain.Torch.Native;

namespace DistTrain.Torch.Optim;

/// <summary>
/// Base of the optimizers. Parameters and their state live in one native object, so <see cref="step"/>
/// is a single native call that updates every parameter with PyTorch 1.13's rules. Dispose the
/// optimizer to release that state at once (the parameters stay the caller's).
/// </summary>
public abstract class Optimizer : IDisposable
{
    private readonly OptimizerHandle handle;
    private readonly string[] optionNames;
    private readonly string[] boolOptions;
    private readonly string[] stateNames;
    private readonly List<ParamGroup> groups = new();

    private protected Optimizer(int kind, IEnumerable<ParamGroup> paramGroups, string[] optionNames, double[] defaults,
        string[] boolOptions, string[] stateNames)
    {
        ArgumentNullException.ThrowIfNull(paramGroups);
        this.optionNames = optionNames;
        this.boolOptions = boolOptions;
        this.stateNames = stateNames;
        handle = NativeMethods.dt_optim_new(kind);
        if (handle.IsInvalid) throw NativeError.Last();
        foreach (var group in paramGroups) add_param_group(group, defaults);
        if (groups.Count == 0 || groups.All(g => g.parameters.Count == 0))
            throw new ArgumentException("The optimizer got an empty parameter list.", nameof(paramGroups));
    }

    /// <summary>The parameter groups, each with its own hyper-parameters.</summary>
    public IReadOnlyList<ParamGroup> param_groups => groups;

    /// <summary>Every parameter of every group, in order.</summary>
    public IEnumerable<torch.Tensor> parameters() => groups.SelectMany(g => g.parameters);

    /// <summary>Checks a group's hyper-parameters; throws <see cref="ArgumentException"/> naming the rule broken.</summary>
    private protected abstract void Validate(ParamGroup group);

    private void add_param_group(ParamGroup group, double[] defaults)
    {
        group.Bind(optionNames, defaults);
        Validate(group);
        var values = group.Values;
        var status = TensorHandles.With(group.parameters, (p, n) => AddGroup(p, n, values));
        NativeError.Check(status);
        group.Dirty = false;
        groups.Add(group);
    }

    private unsafe int AddGroup(nint parameters, int count, double[] values)
    {
        fixed (double* v = values)
            return NativeMethods.dt_optim_add_group(handle, (IntPtr*)parameters, count, v, values.Length);
    }

    private unsafe void PushOptions()
    {
        for (var i = 0; i < groups.Count; i++)
        {
            var group = groups[i];
            if (!group.Dirty) continue;
            Validate(group);
            fixed (double* v = group.Values)
                NativeError.Check(NativeMethods.dt_optim_set_options(handle, i, v, group.Values.Length));
            group.Dirty = false;
        }
    }

    /// <summary>Updates every parameter that has a gradient, in one native call, without recording autograd.</summary>
    public void step()
    {
        PushOptions();
        NativeError.Check(NativeMethods.dt_optim_step(handle));
    }

    /// <summary>
    /// Clears the gradients of every parameter: sets them to none (the default, as PyTorch 2.x and
    /// <c>Module.zero_grad</c>; backward then hands each parameter its new gradient without an extra pass)
    /// or, with <paramref name="set_to_none"/> false, zeroes them in place (PyTorch 1.13's default).
    /// </summary>
    public void zero_grad(bool set_to_none = true) => NativeError.Check(NativeMethods.dt_optim_zero_grad(handle, set_to_none));

    /// <summary>The state and hyper-parameters in PyTorch's structure; the state tensors share storage with this optimizer.</summary>
    public OptimizerStateDict state_dict()
    {
        var result = new OptimizerStateDict();
        var index = 0;
        foreach (var group in groups)
        {
            var entry = new Dictionary<string, object>();
            ExportOptions(group, entry);
            if (group.initial_lr is { } initial) entry["initial_lr"] = initial;
            entry["params"] = Enumerable.Range(index, group.parameters.Count).ToArray();
            result.param_groups.Add(entry);
            for (var p = 0; p < group.parameters.Count; p++, index++)
            {
                Dictionary<string, torch.Tensor>? tensors = null;
                for (var slot = 0; slot < stateNames.Length; slot++)
                {
                    NativeError.Check(NativeMethods.dt_optim_get_state(handle, index, slot, out var h));
                    if (h.IsInvalid) { h.Dispose(); continue; }
                    (tensors ??= new())[stateNames[slot]] = new torch.Tensor(h);
                }
                if (tensors is not null) result.state[index] = tensors;
            }
        }
        return result;
    }

    /// <summary>
    /// Replaces the state and hyper-parameters with copies of <paramref name="stateDict"/>'s, matching
    /// groups and parameters by position, as PyTorch does.
    /// </summary>
    /// <exception cref="ArgumentException">When the groups or their sizes differ from this optimizer's, or a value is malformed.</exception>
    public void load_state_dict(OptimizerStateDict stateDict)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        if (stateDict.param_groups.Count != groups.Count)
            throw new ArgumentException($"The loaded state dict has {stateDict.param_groups.Count} parameter groups but the optimizer has {groups.Count}.");
        var savedIds = new List<int[]>();
        for (var g = 0; g < groups.Count; g++)
        {
            var ids = ToIntArray(stateDict.param_groups[g].TryGetValue("params", out var p) ? p : null, g);
            if (ids.Length != groups[g].parameters.Count)
                throw new ArgumentException($"The loaded parameter group {g} has {ids.Length} parameters but the optimizer's has {groups[g].parameters.Count}.");
            savedIds.Add(ids);
        }
        var index = 0;
        for (var g = 0; g < groups.Count; g++)
        {
            var entry = stateDict.param_groups[g];
            var group = groups[g];
            var previous = (double[])group.Values.Clone();
            try
            {
                ImportOptions(entry, group);
                Validate(group);
            }
            catch
            {
                for (var i = 0; i < previous.Length; i++) group[optionNames[i]] = previous[i];
                throw;
            }
            group.initial_lr = entry.TryGetValue("initial_lr", out var initial) ? ToDouble(initial, "initial_lr") : group.initial_lr;
            foreach (var saved in savedIds[g])
            {
                stateDict.state.TryGetValue(saved, out var tensors);
                for (var slot = 0; slot < stateNames.Length; slot++)
                {
                    var value = tensors is not null && tensors.TryGetValue(stateNames[slot], out var t) ? t.Handle : TensorHandle.Null;
                    NativeError.Check(NativeMethods.dt_optim_set_state(handle, index, slot, value));
                }
                index++;
            }
        }
        PushOptions();
    }

    /// <summary>Writes a group's hyper-parameters into a state-dict entry under PyTorch's names.</summary>
    private protected virtual void ExportOptions(ParamGroup group, Dictionary<string, object> entry)
    {
        foreach (var name in optionNames)
            entry[name] = Array.IndexOf(boolOptions, name) >= 0 ? group[name] != 0 : group[name];
    }

    /// <summary>Reads a group's hyper-parameters from a state-dict entry; missing names keep their values.</summary>
    private protected virtual void ImportOptions(Dictionary<string, object> entry, ParamGroup group)
    {
        foreach (var name in optionNames)
            if (entry.TryGetValue(name, out var value)) group[name] = ToDouble(value, name);
    }

    /// <summary>A state-dict value (number, bool, or a parsed JSON element) as a double.</summary>
    private protected static double ToDouble(object value, string name) => value switch
    {
        bool b => b ? 1 : 0,
        double d => d,
        float f => f,
        int i => i,
        long l => l,
        JsonElement { ValueKind: JsonValueKind.Number } e => e.GetDouble(),
        JsonElement { ValueKind: JsonValueKind.True } => 1,
        JsonElement { ValueKind: JsonValueKind.False } => 0,
        _ => throw new ArgumentException($"The hyper-parameter '{name}' holds {value} ({value.GetType().Name}); expected a number or a bool."),
    };

    /// <summary>A state-dict list of numbers (double[], int[], or a JSON array) as doubles.</summary>
    private protected static double[] ToDoubleArray(object value, string name) => value switch
    {
        double[] d => d,
        IEnumerable<double> d => d.ToArray(),
        IEnumerable<object> o => o.Select(x => ToDouble(x, name)).ToArray(),
        JsonElement { ValueKind: JsonValueKind.Array } e => e.EnumerateArray().Select(x => x.GetDouble()).ToArray(),
        _ => throw new ArgumentException($"The hyper-parameter '{name}' holds {value} ({value.GetType().Name}); expected a list of numbers."),
    };

    private static int[] ToIntArray(object? value, int group) => value switch
    {
        int[] ids => ids,
        IEnumerable<int> ids => ids.ToArray(),
        IEnumerable<long> ids => ids.Select(i => (int)i).ToArray(),
        JsonElement { ValueKind: JsonValueKind.Array } e => e.EnumerateArray().Select(x => x.GetInt32()).ToArray(),
        _ => throw new ArgumentException($"The loaded parameter group {group} has no 'params' list of parameter indices."),
    };

    /// <summary>Releases the native state now.</summary>
    public void Dispose()
    {
        handle.Dispose();
        GC.SuppressFinalize(this);
    }
}
