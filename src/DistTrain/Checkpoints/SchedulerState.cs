using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using LRScheduler = TorchSharp.torch.optim.lr_scheduler.LRScheduler;

namespace DistTrain.Checkpoints;

/// <summary>
/// A TorchSharp learning-rate scheduler's state as JSON, for <see cref="CheckpointProgress.Scheduler"/>: what
/// PyTorch's <c>scheduler.state_dict()</c> / <c>load_state_dict()</c> do, which TorchSharp 0.107 lacks. Every
/// number, bool, string and list of numbers the scheduler holds is kept (its last epoch, step count, last and
/// base learning rates, and the running state of schedulers such as <c>ReduceLROnPlateau</c>: best value, bad
/// epochs, cooldown), with the schedulers a <c>SequentialLR</c> or <c>ChainedLR</c> holds, recursively. What the
/// constructor rebuilds from its arguments (the optimizer, lambdas, phase tables) is not kept: restore into a
/// scheduler built as the saved one was. The fields are TorchSharp's private ones, found by reflection.
/// </summary>
/// <remarks>
/// The optimizer's current learning rates are not part of this state: they live in the optimizer's parameter
/// groups, which <see cref="Checkpointer"/> saves with the optimizer (<c>param_groups.{g}.LearningRate</c>).
/// Restore both, in either order; restoring the scheduler changes no learning rate.
/// </remarks>
public static class SchedulerState
{
    private const BindingFlags Fields = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    // What a resumed scheduler needs at the least; if TorchSharp renames them this TorchSharp is not supported.
    private static readonly string[] Required = ["_last_epoch", "_step_count", "_last_lrs"];

    /// <summary>The state of <paramref name="scheduler"/> (and of the schedulers it holds) as a JSON object.</summary>
    /// <exception cref="NotSupportedException">The scheduler lacks a field every TorchSharp 0.107 scheduler has (another TorchSharp version).</exception>
    public static JsonObject Capture(LRScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        var fields = new JsonObject();
        var nested = new JsonArray();
        foreach (var field in StateFields(scheduler))
        {
            var value = field.GetValue(scheduler);
            if (value is IEnumerable<LRScheduler> children)
                foreach (var child in children) nested.Add(Capture(child));
            else
                fields[field.Name] = ToJson(value);
        }
        var state = new JsonObject { ["type"] = scheduler.GetType().FullName, ["fields"] = fields };
        if (nested.Count > 0) state["schedulers"] = nested;
        return state;
    }

    /// <summary>
    /// Sets <paramref name="scheduler"/>'s state to <paramref name="state"/> (from <see cref="Capture"/>): its next
    /// <c>step()</c> gives the learning rates the saved scheduler's next step would have given.
    /// </summary>
    /// <exception cref="InvalidDataException">The state is of another scheduler type, another number of parameter groups or sub-schedulers, or malformed: build the scheduler as the run that saved it did.</exception>
    /// <exception cref="NotSupportedException">The scheduler lacks a field every TorchSharp 0.107 scheduler has (another TorchSharp version).</exception>
    public static void Restore(LRScheduler scheduler, JsonObject state)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(state);
        var type = scheduler.GetType().FullName;
        var saved = state["type"]?.GetValue<string>();
        if (saved != type)
            throw new InvalidDataException($"The saved scheduler state is of a {saved ?? "(no type)"}, but this run's scheduler is a {type}: build the same scheduler as the run that saved the checkpoint.");
        if (state["fields"] is not JsonObject fields)
            throw new InvalidDataException($"The saved state of the {type} has no \"fields\" object: it was not written by SchedulerState.Capture.");

        var nested = state["schedulers"] as JsonArray ?? [];
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in StateFields(scheduler))
        {
            var value = field.GetValue(scheduler);
            if (value is IEnumerable<LRScheduler> children)
            {
                RestoreChildren(type, children.ToList(), nested);
                continue;
            }
            if (!fields.TryGetPropertyValue(field.Name, out var json))
                throw new InvalidDataException($"The saved state of the {type} has no '{field.Name}': it was saved by another TorchSharp version.");
            used.Add(field.Name);
            Set(scheduler, field, value, json, type);
        }
        var unexpected = fields.Select(f => f.Key).FirstOrDefault(k => !used.Contains(k));
        if (unexpected is not null)
            throw new InvalidDataException($"The saved state of the {type} holds '{unexpected}', which this {type} has no field for: it was saved by another TorchSharp version.");
    }

    /// <summary>The scheduler's last epoch (TorchSharp's <c>last_epoch</c>): how many times it stepped since it was built at epoch 0, for most schedulers.</summary>
    /// <exception cref="NotSupportedException">The scheduler lacks the field (another TorchSharp version).</exception>
    public static int LastEpoch(LRScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        return (int)StateFields(scheduler).Single(f => f.Name == "_last_epoch").GetValue(scheduler)!;
    }

    private static void RestoreChildren(string? type, List<LRScheduler> children, JsonArray nested)
    {
        if (children.Count != nested.Count)
            throw new InvalidDataException($"The saved state of the {type} holds {nested.Count} sub-scheduler(s), this one {children.Count}: build the same schedulers as the run that saved the checkpoint.");
        for (var i = 0; i < children.Count; i++)
            Restore(children[i], nested[i] as JsonObject
                ?? throw new InvalidDataException($"Sub-scheduler {i} of the saved {type} is not a JSON object."));
    }

    // The fields kept, from the scheduler's own type down to LRScheduler; checks that the required ones exist.
    private static List<FieldInfo> StateFields(LRScheduler scheduler)
    {
        var fields = new List<FieldInfo>();
        for (var type = scheduler.GetType(); type is not null && type != typeof(object); type = type.BaseType)
            fields.AddRange(type.GetFields(Fields).Where(f => IsKept(f.FieldType)));
        var missing = Required.FirstOrDefault(name => fields.All(f => f.Name != name));
        if (missing is not null)
            throw new NotSupportedException(
                $"The {scheduler.GetType().FullName} has no field '{missing}', which SchedulerState reads from TorchSharp 0.107's LRScheduler: this TorchSharp version is not supported; save the scheduler's epoch yourself in CheckpointProgress.Scheduler.");
        return fields;
    }

    private static bool IsKept(Type type) =>
        IsScalar(type) || typeof(IEnumerable<LRScheduler>).IsAssignableFrom(type) || ElementType(type) is { } element && IsScalar(element);

    private static bool IsScalar(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type == typeof(int) || type == typeof(long) || type == typeof(double) || type == typeof(bool) || type == typeof(string) || type.IsEnum;
    }

    // The element type of an array or list field (IList<double>, List<int>, int[]...), or null.
    private static Type? ElementType(Type type)
    {
        if (type.IsArray) return type.GetElementType();
        if (!type.IsGenericType) return null;
        var list = typeof(IList).IsAssignableFrom(type) || type.GetGenericTypeDefinition() == typeof(IList<>);
        return list ? type.GetGenericArguments()[0] : null;
    }

    private static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        double d => double.IsFinite(d) ? JsonValue.Create(d) : JsonValue.Create(d.ToString(CultureInfo.InvariantCulture)),
        Enum e => JsonValue.Create(e.ToString()),
        string s => JsonValue.Create(s),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        bool b => JsonValue.Create(b),
        IEnumerable items => new JsonArray(items.Cast<object?>().Select(ToJson).ToArray()),
        _ => throw new NotSupportedException($"A scheduler field of type {value.GetType().Name} cannot be stored."),
    };

    private static void Set(LRScheduler scheduler, FieldInfo field, object? current, JsonNode? json, string? type)
    {
        try
        {
            if (json is null)
                field.SetValue(scheduler, null);
            else if (ElementType(field.FieldType) is { } element)
                SetList(scheduler, field, current, (JsonArray)json, element, type);
            else
                field.SetValue(scheduler, FromJson(json, field.FieldType));
        }
        catch (Exception e) when (e is InvalidCastException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"The saved '{field.Name}' of the {type} ({json?.ToJsonString()}) is not a {field.FieldType.Name}.", e);
        }
    }

    // Lists are refilled in place where they can be: a SequentialLR shares its first scheduler's _last_lrs list.
    private static void SetList(LRScheduler scheduler, FieldInfo field, object? current, JsonArray json, Type element, string? type)
    {
        var values = json.Select(item => FromJson(item!, element)).ToArray();
        if (field.Name == "_last_lrs" && current is IList { Count: var groups } && groups != values.Length)
            throw new InvalidDataException($"The saved {type} had {values.Length} parameter group(s), this one's optimizer {groups}: build the optimizer as the run that saved the checkpoint.");
        if (current is IList list && !list.IsFixedSize)
        {
            list.Clear();
            foreach (var value in values) list.Add(value);
        }
        else if (current is IList fixedSize && fixedSize.Count == values.Length)
        {
            for (var i = 0; i < values.Length; i++) fixedSize[i] = values[i];
        }
        else
        {
            var array = Array.CreateInstance(element, values.Length);
            Array.Copy(values, array, values.Length);
            field.SetValue(scheduler, field.FieldType.IsArray ? array : Activator.CreateInstance(typeof(List<>).MakeGenericType(element), array));
        }
    }

    private static object FromJson(JsonNode json, Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum) return Enum.Parse(type, json.GetValue<string>());
        if (type == typeof(double))
            return json.GetValueKind() == System.Text.Json.JsonValueKind.String
                ? double.Parse(json.GetValue<string>(), CultureInfo.InvariantCulture)
                : json.GetValue<double>();
        if (type == typeof(int)) return json.GetValue<int>();
        if (type == typeof(long)) return json.GetValue<long>();
        if (type == typeof(bool)) return json.GetValue<bool>();
        return json.GetValue<string>();
    }
}
