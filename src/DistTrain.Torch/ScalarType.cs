namespace DistTrain.Torch;

/// <summary>Element types, numbered as libtorch's c10::ScalarType.</summary>
public enum ScalarType : int
{
    Byte = 0,
    Int8 = 1,
    Int16 = 2,
    Int32 = 3,
    Int64 = 4,
    Float16 = 5,
    Float32 = 6,
    Float64 = 7,
    Bool = 11,
    BFloat16 = 15,
}

public static partial class torch
{
    /// <summary>32-bit floating point.</summary>
    public const ScalarType float32 = ScalarType.Float32;
    /// <summary>32-bit floating point.</summary>
    public const ScalarType @float = ScalarType.Float32;
    /// <summary>64-bit floating point.</summary>
    public const ScalarType float64 = ScalarType.Float64;
    /// <summary>64-bit floating point.</summary>
    public const ScalarType @double = ScalarType.Float64;
    /// <summary>16-bit floating point (IEEE half).</summary>
    public const ScalarType float16 = ScalarType.Float16;
    /// <summary>16-bit floating point (IEEE half).</summary>
    public const ScalarType half = ScalarType.Float16;
    /// <summary>16-bit brain floating point.</summary>
    public const ScalarType bfloat16 = ScalarType.BFloat16;
    /// <summary>8-bit unsigned integer.</summary>
    public const ScalarType uint8 = ScalarType.Byte;
    /// <summary>8-bit signed integer.</summary>
    public const ScalarType int8 = ScalarType.Int8;
    /// <summary>16-bit signed integer.</summary>
    public const ScalarType int16 = ScalarType.Int16;
    /// <summary>32-bit signed integer.</summary>
    public const ScalarType int32 = ScalarType.Int32;
    /// <summary>64-bit signed integer.</summary>
    public const ScalarType int64 = ScalarType.Int64;
    /// <summary>64-bit signed integer.</summary>
    public const ScalarType @long = ScalarType.Int64;
    /// <summary>Boolean.</summary>
    public const ScalarType @bool = ScalarType.Bool;

    /// <summary>Size in bytes of one element of <paramref name="type"/>.</summary>
    public static int ElementSize(ScalarType type) => type switch
    {
        ScalarType.Byte or ScalarType.Int8 or ScalarType.Bool => 1,
        ScalarType.Int16 or ScalarType.Float16 or ScalarType.BFloat16 => 2,
        ScalarType.Int32 or ScalarType.Float32 => 4,
        ScalarType.Int64 or ScalarType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unsupported scalar type."),
    };

    /// <summary>True for float16, bfloat16, float32 and float64.</summary>
    public static bool is_floating_point(ScalarType type) =>
        type is ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Float32 or ScalarType.Float64;
}
