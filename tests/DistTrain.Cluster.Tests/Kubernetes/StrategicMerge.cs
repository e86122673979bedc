namespace DistTrain.Cluster.Tests.Kubernetes;

/// <summary>
/// Kubernetes' strategic merge patch, as far as pod specs need it: maps merge key by key, a null
/// value deletes its key, lists of maps that carry <c>name</c> (containers, env, volumes) merge item by
/// item on it, and every other list is replaced whole.
/// </summary>
internal static class StrategicMerge
{
    /// <summary>Merges <paramref name="patch"/> into <paramref name="target"/>, in place.</summary>
    public static void Apply(Dictionary<object, object?> target, Dictionary<object, object?> patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is null)
                target.Remove(key);
            else if (value is Dictionary<object, object?> map && target.GetValueOrDefault(key) is Dictionary<object, object?> existing)
                Apply(existing, map);
            else if (value is List<object?> list && target.GetValueOrDefault(key) is List<object?> existingList && IsNamedList(list))
                MergeByName(existingList, list);
            else
                target[key] = value;
        }
    }

    private static bool IsNamedList(List<object?> list) =>
        list.Count > 0 && list.All(item => item is Dictionary<object, object?> map && map.ContainsKey("name"));

    private static void MergeByName(List<object?> target, List<object?> patch)
    {
        foreach (var item in patch.OfType<Dictionary<object, object?>>())
        {
            var match = target.OfType<Dictionary<object, object?>>().FirstOrDefault(t => Equals(t.GetValueOrDefault("name"), item["name"]));
            if (match is null)
                target.Add(item);
            else
                Apply(match, item);
        }
    }
}
