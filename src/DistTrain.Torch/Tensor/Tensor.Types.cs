namespace DistTrain.Torch;

public static partial class torch
{
    // Element-type shortcuts, as PyTorch's t.float(), t.long()...: each returns this tensor itself
    // (a new handle) when it already has the type, else a converted copy.
    public partial class Tensor
    {
        /// <summary>This tensor as float32.</summary>
        public Tensor @float() => to(ScalarType.Float32);
        /// <summary>This tensor as float64.</summary>
        public Tensor @double() => to(ScalarType.Float64);
        /// <summary>This tensor as float16.</summary>
        public Tensor half() => to(ScalarType.Float16);
        /// <summary>This tensor as bfloat16.</summary>
        public Tensor bfloat16() => to(ScalarType.BFloat16);
        /// <summary>This tensor as int64.</summary>
        public Tensor @long() => to(ScalarType.Int64);
        /// <summary>This tensor as int32.</summary>
        public Tensor @int() => to(ScalarType.Int32);
        /// <summary>This tensor as int16.</summary>
        public Tensor @short() => to(ScalarType.Int16);
        /// <summary>This tensor as uint8.</summary>
        public Tensor @byte() => to(ScalarType.Byte);
        /// <summary>This tensor as bool (non-zero is true).</summary>
        public Tensor @bool() => to(ScalarType.Bool);
        /// <summary>This tensor converted to the element type of <paramref name="other"/>.</summary>
        public Tensor type_as(Tensor other) => to(other.dtype);
        /// <summary>This tensor converted to <paramref name="type"/>.</summary>
        public Tensor type(ScalarType type) => to(type);
        /// <summary>True for float16, bfloat16, float32 and float64 tensors.</summary>
        public bool is_floating_point() => torch.is_floating_point(dtype);
    }

    /// <summary>True when <paramref name="input"/> holds floating-point elements.</summary>
    public static bool is_floating_point(Tensor input) => input.is_floating_point();
}
