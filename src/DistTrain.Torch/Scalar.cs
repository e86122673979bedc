using DistTrain.Torch.Native;

namespace DistTrain.Torch;

/// <summary>
/// A number passed to libtorch, remembering whether it is an integer, a floating-point value or a
/// boolean, because that decides type promotion: an int64 tensor plus 2 stays int64, plus 2.0 becomes float.
/// </summary>
public readonly struct Scalar
{
    internal readonly NativeScalar Value;

    private Scalar(NativeScalar value) => Value = value;

    public static implicit operator Scalar(long value) => new(new NativeScalar(value, value, NativeScalar.IntegerKind));
    public static implicit operator Scalar(int value) => new(new NativeScalar(value, value, NativeScalar.IntegerKind));
    public static implicit operator Scalar(double value) => new(new NativeScalar(0, value, NativeScalar.FloatingKind));
    public static implicit operator Scalar(float value) => new(new NativeScalar(0, value, NativeScalar.FloatingKind));
    public static implicit operator Scalar(bool value) => new(new NativeScalar(value ? 1 : 0, value ? 1 : 0, NativeScalar.BoolKind));

    internal static Scalar FromNative(NativeScalar value) => new(value);

    /// <summary>The value as a double.</summary>
    public double ToDouble() => Value.Kind == NativeScalar.FloatingKind ? Value.Floating : Value.Integer;

    /// <summary>The value as a long (truncating a floating-point value).</summary>
    public long ToInt64() => Value.Kind == NativeScalar.FloatingKind ? (long)Value.Floating : Value.Integer;

    /// <inheritdoc />
    public override string ToString() => Value.Kind switch
    {
        NativeScalar.FloatingKind => Value.Floating.ToString(System.Globalization.CultureInfo.InvariantCulture),
        NativeScalar.BoolKind => (Value.Integer != 0).ToString(),
        _ => Value.Integer.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
