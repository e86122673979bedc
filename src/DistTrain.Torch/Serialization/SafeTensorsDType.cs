namespace DistTrain.Torch.Serialization;

/// <summary>The safetensors dtype names and the element types they stand for.</summary>
internal static class SafeTensorsDType
{
    private static readonly (string Name, ScalarType Type)[] Table =
    [
        ("F64", ScalarType.Float64), ("F32", ScalarType.Float32), ("F16", ScalarType.Float16), ("BF16", ScalarType.BFloat16),
        ("I64", ScalarType.Int64), ("I32", ScalarType.Int32), ("I16", ScalarType.Int16), ("I8", ScalarType.Int8),
        ("U8", ScalarType.Byte), ("BOOL", ScalarType.Bool),
    ];

    /// <summary>The names this implementation reads and writes, for error messages.</summary>
    public static string Known => string.Join(", ", Table.Select(t => t.Name));

    public static bool TryParse(string name, out ScalarType type)
    {
        foreach (var (n, t) in Table)
            if (n == name) { type = t; return true; }
        type = default;
        return false;
    }

    public static string NameOf(ScalarType type)
    {
        foreach (var (n, t) in Table)
            if (t == type) return n;
        throw new NotSupportedException($"Tensors of {type} cannot be stored in safetensors; convert them to one of {Known}.");
    }
}
