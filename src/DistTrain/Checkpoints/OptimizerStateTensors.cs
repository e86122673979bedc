using System.Reflection;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DistTrain.Checkpoints;

/// <summary>
/// An optimizer's state as a flat dictionary of tensors, for safetensors: TorchSharp.PyBridge saves
/// optimizer state only as a pickle (<c>save_py</c>), which DistTrain never writes. Every field of each
/// parameter's state becomes <c>state.{i}.{field}</c> (i in parameter-group order) and every field of each
/// group's options <c>param_groups.{g}.{field}</c>: tensors as they are, scalars (the step count, the learning
/// rate, betas…) as 0-dimensional tensors, as PyTorch keeps <c>step</c>. A null field is left out. The
/// fields are found by reflection, as PyBridge finds them, so every TorchSharp optimizer works; a field
/// of a type that cannot be stored is refused by name instead of being dropped.
/// </summary>
internal static class OptimizerStateTensors
{
    private const BindingFlags Fields = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    /// <summary>Copies the optimizer's state to host memory (into <paramref name="pool"/>'s kept copies where they fit).</summary>
    /// <exception cref="NotSupportedException">A state or option field has a type that is neither a tensor nor a number or bool.</exception>
    public static TensorSnapshot Capture(OptimizerHelper optimizer, HostCopyPool? pool = null)
    {
        var sd = optimizer.state_dict();
        return TensorSnapshot.Build(pool, snapshot =>
        {
            for (var g = 0; g < sd.Options.Count; g++)
                Capture(snapshot, $"param_groups.{g}.", sd.Options[g]);
            for (var i = 0; i < sd.State.Count; i++)
                Capture(snapshot, $"state.{i}.", sd.State[i]);
        });
    }

    /// <summary>Sets the optimizer's state from <paramref name="tensors"/> (as <see cref="Capture(OptimizerHelper, HostCopyPool)"/> named them); copies in place where a tensor exists.</summary>
    /// <exception cref="InvalidDataException">An entry is missing, unexpected or of another shape: the file is of another model or optimizer.</exception>
    public static void Load(OptimizerHelper optimizer, IReadOnlyDictionary<string, Tensor> tensors, string source)
    {
        var sd = optimizer.state_dict();
        var used = new HashSet<string>(StringComparer.Ordinal);
        using (no_grad())
        {
            for (var g = 0; g < sd.Options.Count; g++)
                Load(sd.Options[g], $"param_groups.{g}.", tensors, used, source);
            for (var i = 0; i < sd.State.Count; i++)
                Load(sd.State[i], $"state.{i}.", tensors, used, source);
        }

        var unexpected = tensors.Keys.FirstOrDefault(k => !used.Contains(k));
        if (unexpected is not null)
            throw new InvalidDataException(
                $"{source} holds '{unexpected}', which {optimizer.GetType().Name} with {sd.Options.Count} parameter group(s) and {sd.State.Count} parameter(s) has no place for: it was saved from another model or optimizer.");
    }

    private static void Capture(TensorSnapshot snapshot, string prefix, object owner)
    {
        foreach (var field in StateFields(owner))
        {
            var value = field.GetValue(owner);
            if (value is null)
                continue;
            if (value is Tensor tensor)
                snapshot.AddCopy(prefix + Name(field), tensor);
            else
                snapshot.AddOwned(prefix + Name(field), Scalar(value, field));
        }
    }

    private static void Load(object owner, string prefix, IReadOnlyDictionary<string, Tensor> tensors, HashSet<string> used, string source)
    {
        foreach (var field in StateFields(owner))
        {
            var key = prefix + Name(field);
            var type = Nullable.GetUnderlyingType(field.FieldType) ?? field.FieldType;
            if (!tensors.TryGetValue(key, out var saved))
            {
                if (field.FieldType.IsValueType && Nullable.GetUnderlyingType(field.FieldType) is null)
                    throw new InvalidDataException($"{source} has no '{key}' ({owner.GetType().FullName}.{Name(field)}): it was saved from another optimizer.");
                (field.GetValue(owner) as Tensor)?.Dispose();
                field.SetValue(owner, null);
                continue;
            }

            used.Add(key);
            field.SetValue(owner, type == typeof(Tensor) ? Restore(field.GetValue(owner) as Tensor, saved, owner, key, source) : Value(saved, type));
        }
    }

    private static Tensor Restore(Tensor? current, Tensor saved, object owner, string key, string source)
    {
        if (current is not null && current.shape.SequenceEqual(saved.shape) && current.dtype == saved.dtype)
        {
            current.copy_(saved);
            return current;
        }

        if (current is not null && current.numel() > 0 && !current.shape.SequenceEqual(saved.shape))
            throw new InvalidDataException(
                $"{source}: '{key}' has shape [{string.Join(", ", saved.shape)}] but the optimizer's is [{string.Join(", ", current.shape)}]: it was saved from another model.");
        var device = OwnParameter(owner)?.device ?? CPU;
        current?.Dispose();
        return saved.to(device, copy: true).DetachFromDisposeScope();
    }

    // The parameter a state belongs to (its tensors go to that parameter's device).
    private static Parameter? OwnParameter(object owner)
    {
        for (var type = owner.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            var field = type.GetFields(Fields).FirstOrDefault(f => typeof(Parameter).IsAssignableFrom(f.FieldType));
            if (field is not null)
                return field.GetValue(owner) as Parameter;
        }

        return null;
    }

    // Every field up the hierarchy except the parameter the state belongs to (the model saves it).
    private static IEnumerable<FieldInfo> StateFields(object owner)
    {
        for (var type = owner.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            foreach (var field in type.GetFields(Fields))
            {
                if (typeof(Parameter).IsAssignableFrom(field.FieldType))
                    continue;
                var t = Nullable.GetUnderlyingType(field.FieldType) ?? field.FieldType;
                if (t != typeof(Tensor) && t != typeof(long) && t != typeof(int) && t != typeof(double) && t != typeof(float) && t != typeof(bool))
                    throw new NotSupportedException(
                        $"{type.FullName}.{field.Name} is a {field.FieldType.Name}; a checkpoint stores optimizer fields that are tensors, numbers or bools only.");
                yield return field;
            }
        }
    }

    // Auto-property backing fields ("<LearningRate>k__BackingField") by their property's name.
    private static string Name(FieldInfo field) =>
        field.Name.StartsWith('<') && field.Name.IndexOf('>') is > 1 and var end ? field.Name[1..end] : field.Name;

    private static Tensor Scalar(object value, FieldInfo field) => value switch
    {
        long v => tensor(v),
        int v => tensor(v),
        double v => tensor(v),
        float v => tensor(v),
        bool v => tensor(v),
        _ => throw new NotSupportedException($"{field.DeclaringType?.FullName}.{field.Name} holds a {value.GetType().Name}."),
    };

    private static object Value(Tensor saved, Type type) =>
        type == typeof(long) ? saved.item<long>()
        : type == typeof(int) ? saved.item<int>()
        : type == typeof(double) ? saved.item<double>()
        : type == typeof(float) ? saved.item<float>()
        : saved.item<bool>();
}
