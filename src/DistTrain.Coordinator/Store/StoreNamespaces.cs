namespace DistTrain.Coordinator.Store;

/// <summary>
/// The job's store namespaces. Only the latest round's namespace lives: replacing it drops the
/// others, so a restarted group never reads a previous round's keys.
/// </summary>
internal sealed class StoreNamespaces(TimeProvider time) : IStoreNamespaces
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, KeyValueStore> _stores = new(StringComparer.Ordinal);

    public IKeyValueStore Get(string name)
    {
        lock (_lock)
        {
            return _stores.TryGetValue(name, out var store) ? store : throw new StoreNamespaceNotFoundException(name);
        }
    }

    public IKeyValueStore Replace(string name)
    {
        var store = new KeyValueStore(name, time);
        List<KeyValueStore> dropped;
        lock (_lock)
        {
            dropped = [.. _stores.Values];
            _stores.Clear();
            _stores[name] = store;
        }

        foreach (var old in dropped)
        {
            old.Close();
        }

        return store;
    }
}
