namespace DistTrain.Torch.Modules;

/// <summary>
/// A small insertion-ordered map from names to values, as a module's parameters, buffers and children
/// are kept (PyTorch keeps them in OrderedDicts). Replacing a name keeps its position. Lookups are
/// linear: a module holds a handful of entries, and iteration (the hot path) allocates nothing.
/// </summary>
internal sealed class OrderedSlots<T> where T : class
{
    private readonly List<string> names = new();
    private readonly List<T?> values = new();

    public int Count => names.Count;
    public string NameAt(int i) => names[i];
    public T? ValueAt(int i) => values[i];

    public int IndexOf(string name)
    {
        for (var i = 0; i < names.Count; i++)
            if (names[i] == name) return i;
        return -1;
    }

    public bool Contains(string name) => IndexOf(name) >= 0;

    public void Set(string name, T? value)
    {
        var i = IndexOf(name);
        if (i >= 0) values[i] = value;
        else { names.Add(name); values.Add(value); }
    }

    public void Clear() { names.Clear(); values.Clear(); }
}
