using DistTrain.Torch.Native;

namespace DistTrain.Torch;

public static partial class torch
{
    /// <summary>The element type factories use when none is given.</summary>
    public static ScalarType get_default_dtype() => ScalarType.Float32;

    private unsafe delegate TensorHandle ShapeFactory(long* sizes, int ndim, int dtype, int deviceType, int deviceIndex, bool requiresGrad);

    private static unsafe Tensor Create(ShapeFactory factory, long[] size, ScalarType? dtype, Device? device, bool requires_grad)
    {
        var dev = device ?? CPU;
        fixed (long* s = size)
            return new Tensor(factory(s, size.Length, (int)(dtype ?? get_default_dtype()), (int)dev.type, dev.index, requires_grad));
    }

    /// <summary>An uninitialised tensor of the given shape.</summary>
    public static unsafe Tensor empty(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Create(NativeMethods.dt_empty, size, dtype, device, requires_grad);

    /// <summary>An uninitialised tensor of the given shape.</summary>
    public static Tensor empty(params long[] size) => empty(size, dtype: null);

    /// <summary>A tensor of zeros.</summary>
    public static unsafe Tensor zeros(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Create(NativeMethods.dt_zeros, size, dtype, device, requires_grad);

    /// <summary>A tensor of zeros.</summary>
    public static Tensor zeros(params long[] size) => zeros(size, dtype: null);

    /// <summary>A tensor of ones.</summary>
    public static unsafe Tensor ones(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Create(NativeMethods.dt_ones, size, dtype, device, requires_grad);

    /// <summary>A tensor of ones.</summary>
    public static Tensor ones(params long[] size) => ones(size, dtype: null);

    /// <summary>Uniform random numbers in [0, 1).</summary>
    public static unsafe Tensor rand(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Create(NativeMethods.dt_rand, size, dtype, device, requires_grad);

    /// <summary>Uniform random numbers in [0, 1).</summary>
    public static Tensor rand(params long[] size) => rand(size, dtype: null);

    /// <summary>Standard normal random numbers.</summary>
    public static unsafe Tensor randn(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Create(NativeMethods.dt_randn, size, dtype, device, requires_grad);

    /// <summary>Standard normal random numbers.</summary>
    public static Tensor randn(params long[] size) => randn(size, dtype: null);

    /// <summary>A tensor filled with <paramref name="value"/>; the element type follows the value when none is given.</summary>
    public static unsafe Tensor full(long[] size, Scalar value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var dev = device ?? CPU;
        var type = dtype ?? (value.Value.Kind switch
        {
            NativeScalar.IntegerKind => ScalarType.Int64,
            NativeScalar.BoolKind => ScalarType.Bool,
            _ => get_default_dtype(),
        });
        fixed (long* s = size)
            return new Tensor(NativeMethods.dt_full(s, size.Length, value.Value, (int)type, (int)dev.type, dev.index, requires_grad));
    }

    /// <summary>Random integers in [<paramref name="low"/>, <paramref name="high"/>), int64 unless told otherwise.</summary>
    public static unsafe Tensor randint(long low, long high, long[] size, ScalarType? dtype = null, Device? device = null)
    {
        var dev = device ?? CPU;
        fixed (long* s = size)
            return new Tensor(NativeMethods.dt_randint(low, high, s, size.Length, (int)(dtype ?? ScalarType.Int64), (int)dev.type, dev.index));
    }

    /// <summary>Random integers in [0, <paramref name="high"/>), int64 unless told otherwise.</summary>
    public static Tensor randint(long high, long[] size, ScalarType? dtype = null, Device? device = null) =>
        randint(0, high, size, dtype, device);

    /// <summary>Values from <paramref name="start"/> to <paramref name="end"/> (exclusive) in steps of <paramref name="step"/>;
    /// int64 when all three are integers, else the default floating type.</summary>
    public static Tensor arange(Scalar start, Scalar end, Scalar step, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var dev = device ?? CPU;
        var allIntegral = start.Value.Kind != NativeScalar.FloatingKind && end.Value.Kind != NativeScalar.FloatingKind && step.Value.Kind != NativeScalar.FloatingKind;
        var type = dtype ?? (allIntegral ? ScalarType.Int64 : get_default_dtype());
        return new Tensor(NativeMethods.dt_arange(start.Value, end.Value, step.Value, (int)type, (int)dev.type, dev.index, requires_grad));
    }

    /// <summary>Values from <paramref name="start"/> to <paramref name="end"/> (exclusive), step 1.</summary>
    public static Tensor arange(Scalar start, Scalar end, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        arange(start, end, 1, dtype, device, requires_grad);

    /// <summary>Values from 0 to <paramref name="end"/> (exclusive), step 1.</summary>
    public static Tensor arange(Scalar end, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        arange(0, end, 1, dtype, device, requires_grad);
}
