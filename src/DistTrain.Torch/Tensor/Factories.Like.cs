using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using DistTrain.Torch.Native;

namespace DistTrain.Torch;

public static partial class torch
{
    // Factories shaped like another tensor (its dtype and device unless told otherwise), ranges,
    // identity matrices, and tensors from multi-dimensional .NET arrays.

    private static Tensor Like(LikeOp op, Tensor input, Scalar fill, ScalarType? dtype, Device? device, bool requires_grad) =>
        new(NativeMethods.dt_like(input.Handle, (int)op, fill.Value, dtype is { } t ? (int)t : -1,
            device is { } d ? (int)d.type : -1, device?.index ?? -1, requires_grad));

    /// <summary>An uninitialised tensor with the shape of <paramref name="input"/>.</summary>
    public static Tensor empty_like(Tensor input, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Like(LikeOp.Empty, input, 0, dtype, device, requires_grad);
    /// <summary>Zeros with the shape of <paramref name="input"/>.</summary>
    public static Tensor zeros_like(Tensor input, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Like(LikeOp.Zeros, input, 0, dtype, device, requires_grad);
    /// <summary>Ones with the shape of <paramref name="input"/>.</summary>
    public static Tensor ones_like(Tensor input, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Like(LikeOp.Ones, input, 0, dtype, device, requires_grad);
    /// <summary><paramref name="value"/> everywhere, with the shape of <paramref name="input"/>.</summary>
    public static Tensor full_like(Tensor input, Scalar value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Like(LikeOp.Full, input, value, dtype, device, requires_grad);
    /// <summary>Uniform random numbers in [0, 1) with the shape of <paramref name="input"/>.</summary>
    public static Tensor rand_like(Tensor input, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Like(LikeOp.Rand, input, 0, dtype, device, requires_grad);
    /// <summary>Standard normal random numbers with the shape of <paramref name="input"/>.</summary>
    public static Tensor randn_like(Tensor input, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Like(LikeOp.Randn, input, 0, dtype, device, requires_grad);

    /// <summary><paramref name="steps"/> evenly spaced values from <paramref name="start"/> to <paramref name="end"/>, both included.</summary>
    public static Tensor linspace(double start, double end, long steps, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var dev = device ?? CPU;
        return new Tensor(NativeMethods.dt_linspace(((Scalar)start).Value, ((Scalar)end).Value, steps,
            (int)(dtype ?? get_default_dtype()), (int)dev.type, dev.index, requires_grad));
    }

    /// <summary>An <paramref name="n"/>×<paramref name="m"/> matrix (square when m is omitted) with ones on the diagonal.</summary>
    public static Tensor eye(long n, long m = -1, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var dev = device ?? CPU;
        return new Tensor(NativeMethods.dt_eye(n, m < 0 ? n : m, (int)(dtype ?? get_default_dtype()), (int)dev.type, dev.index, requires_grad));
    }

    /// <summary>A random permutation of 0 … <paramref name="n"/> − 1 (int64 unless told otherwise).</summary>
    public static Tensor randperm(long n, ScalarType? dtype = null, Device? device = null)
    {
        var dev = device ?? CPU;
        return new Tensor(NativeMethods.dt_randperm(n, (int)(dtype ?? ScalarType.Int64), (int)dev.type, dev.index));
    }

    /// <summary>A 2-D tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor tensor<T>(T[,] data, Device? device = null, bool requires_grad = false) where T : unmanaged =>
        FromArray<T>(data, device, requires_grad);

    /// <summary>A 3-D tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor tensor<T>(T[,,] data, Device? device = null, bool requires_grad = false) where T : unmanaged =>
        FromArray<T>(data, device, requires_grad);

    /// <summary>A 4-D tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor tensor<T>(T[,,,] data, Device? device = null, bool requires_grad = false) where T : unmanaged =>
        FromArray<T>(data, device, requires_grad);

    /// <summary>A tensor with the rank and lengths of the .NET array <paramref name="data"/> (any rank), holding a copy of it.</summary>
    public static Tensor from_array<T>(Array data, Device? device = null, bool requires_grad = false) where T : unmanaged
    {
        if (data.GetType().GetElementType() != typeof(T))
            throw new ArgumentException($"The array holds {data.GetType().GetElementType()?.Name} but {typeof(T).Name} was given.", nameof(data));
        return FromArray<T>(data, device, requires_grad);
    }

    private static Tensor FromArray<T>(Array data, Device? device, bool requires_grad) where T : unmanaged
    {
        Span<long> shape = stackalloc long[data.Rank];
        for (var i = 0; i < shape.Length; i++) shape[i] = data.GetLength(i);
        // A multi-dimensional .NET array stores its elements contiguously in row-major order, as a tensor does.
        var elements = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<byte, T>(ref MemoryMarshal.GetArrayDataReference(data)), data.Length);
        return tensor(elements, shape.ToArray(), device, requires_grad);
    }
}
