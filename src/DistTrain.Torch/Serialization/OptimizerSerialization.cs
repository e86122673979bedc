using System.Text.Json;
using DistTrain.Torch.Optim;

namespace DistTrain.Torch.Serialization;

/// <summary>
/// Saving and loading an optimizer's <c>state_dict()</c> as one safetensors file: each state tensor under
/// "state.{parameter index}.{name}" (e.g. "state.0.exp_avg"), the parameter groups as JSON in the metadata
/// entry "param_groups", and the optimizer's type in "optimizer".
/// </summary>
public static class OptimizerSerialization
{
    private const string GroupsKey = "param_groups", TypeKey = "optimizer";

    /// <summary>Writes the optimizer's state to <paramref name="path"/> atomically.</summary>
    public static void save(this Optimizer optimizer, string path)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        using var state = optimizer.state_dict();
        var tensors = new Dictionary<string, torch.Tensor>();
        foreach (var (index, slots) in state.state)
            foreach (var (name, tensor) in slots)
                tensors[$"state.{index}.{name}"] = tensor;
        var metadata = new Dictionary<string, string>
        {
            [TypeKey] = optimizer.GetType().Name,
            [GroupsKey] = JsonSerializer.Serialize(state.param_groups),
        };
        torch.safetensors.save_file(tensors, path, metadata);
    }

    /// <summary>Replaces the optimizer's state and hyper-parameters with those saved at <paramref name="path"/>.</summary>
    /// <returns>The optimizer, for chaining.</returns>
    /// <exception cref="InvalidOperationException">When the file holds another optimizer's state or no parameter groups.</exception>
    public static T load<T>(this T optimizer, string path) where T : Optimizer
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        var tensors = torch.safetensors.load_file(path, out var metadata);
        using var state = new OptimizerStateDict();
        try
        {
            if (!metadata.TryGetValue(TypeKey, out var type) || !metadata.TryGetValue(GroupsKey, out var groups))
                throw new InvalidOperationException($"'{path}' holds no optimizer state (its metadata lacks '{TypeKey}' or '{GroupsKey}').");
            if (type != optimizer.GetType().Name)
                throw new InvalidOperationException($"'{path}' holds the state of a {type} optimizer, which cannot be loaded into a {optimizer.GetType().Name}.");
            foreach (var entry in JsonSerializer.Deserialize<List<Dictionary<string, JsonElement>>>(groups)!)
                state.param_groups.Add(entry.ToDictionary(kv => kv.Key, kv => (object)kv.Value));
            foreach (var (key, tensor) in tensors)
            {
                var parts = key.Split('.', 3);
                if (parts.Length != 3 || parts[0] != "state" || !int.TryParse(parts[1], out var index))
                    throw new InvalidOperationException($"'{path}' holds the tensor '{key}', which is not named state.<index>.<name>.");
                if (!state.state.TryGetValue(index, out var slots)) state.state[index] = slots = new();
                slots[parts[2]] = tensor;
            }
            tensors.Clear();
            optimizer.load_state_dict(state);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
        return optimizer;
    }
}
