using System.Numerics;
using DistTrain.Torch.Native;

namespace DistTrain.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        /// <summary>Copies every element, in row-major order, into a new array of <typeparamref name="T"/>.</summary>
        /// <exception cref="ArgumentException">When <typeparamref name="T"/> does not match <see cref="dtype"/>.</exception>
        public T[] ToArray<T>() where T : unmanaged
        {
            var result = new T[numel()];
            CopyTo<T>(result);
            return result;
        }

        /// <summary>Copies every element, in row-major order, into <paramref name="destination"/> (exactly numel() long).</summary>
        public unsafe void CopyTo<T>(Span<T> destination) where T : unmanaged
        {
            var expected = ScalarTypes.Of<T>();
            if (dtype != expected)
                throw new ArgumentException($"The tensor holds {dtype} but {typeof(T).Name} ({expected}) was asked for; convert it first with .to({expected}).");
            if (destination.Length != numel())
                throw new ArgumentException($"The tensor has {numel()} elements but the destination holds {destination.Length}.", nameof(destination));
            fixed (T* p = destination)
                NativeError.Check(NativeMethods.dt_tensor_copy_to_host(Handle, p, (long)destination.Length * sizeof(T)));
        }

        /// <summary>
        /// Copies every element into a new .NET array with this tensor's rank and lengths (a 0-D tensor
        /// gives a one-element 1-D array), e.g. a float[,] for a float32 matrix.
        /// </summary>
        public Array ToNDArray<T>() where T : unmanaged
        {
            var sizes = shape;
            var lengths = new int[Math.Max(1, sizes.Length)];
            lengths[0] = 1;
            for (var i = 0; i < sizes.Length; i++) lengths[i] = checked((int)sizes[i]);
            var array = Array.CreateInstance(typeof(T), lengths);
            // A multi-dimensional .NET array stores its elements contiguously in row-major order, as a tensor does.
            ref var first = ref System.Runtime.CompilerServices.Unsafe.As<byte, T>(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(array));
            CopyTo(System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref first, array.Length));
            return array;
        }

        /// <summary>The single element of a one-element tensor.</summary>
        public T item<T>() where T : unmanaged, INumberBase<T>
        {
            NativeError.Check(NativeMethods.dt_tensor_item(Handle, out var value));
            return value.Kind == NativeScalar.FloatingKind ? T.CreateTruncating(value.Floating) : T.CreateTruncating(value.Integer);
        }

        /// <summary>The single element of a one-element tensor, keeping whether it is integral.</summary>
        public Scalar ToScalar()
        {
            NativeError.Check(NativeMethods.dt_tensor_item(Handle, out var value));
            return Scalar.FromNative(value);
        }
    }

    /// <summary>A tensor holding a copy of <paramref name="data"/>, shaped <paramref name="shape"/> (1-D when omitted).</summary>
    public static unsafe Tensor tensor<T>(ReadOnlySpan<T> data, long[]? shape = null, Device? device = null, bool requires_grad = false)
        where T : unmanaged
    {
        shape ??= [data.Length];
        var dev = device ?? CPU;
        fixed (T* p = data)
        fixed (long* s = shape)
            return new Tensor(NativeMethods.dt_tensor_from_data(p, (long)data.Length * sizeof(T), s, shape.Length,
                (int)ScalarTypes.Of<T>(), (int)dev.type, dev.index, requires_grad));
    }

    /// <summary>A tensor holding a copy of <paramref name="data"/>, shaped <paramref name="shape"/> (1-D when omitted).</summary>
    public static Tensor tensor<T>(T[] data, long[]? shape = null, Device? device = null, bool requires_grad = false) where T : unmanaged =>
        tensor((ReadOnlySpan<T>)data, shape, device, requires_grad);

    /// <summary>A 0-dimensional tensor holding <paramref name="value"/>.</summary>
    public static Tensor tensor<T>(T value, Device? device = null, bool requires_grad = false) where T : unmanaged =>
        tensor(new ReadOnlySpan<T>(in value), [], device, requires_grad);

    /// <summary>Maps .NET element types to libtorch scalar types.</summary>
    internal static class ScalarTypes
    {
        public static ScalarType Of<T>() where T : unmanaged =>
            typeof(T) == typeof(float) ? ScalarType.Float32 :
            typeof(T) == typeof(double) ? ScalarType.Float64 :
            typeof(T) == typeof(long) ? ScalarType.Int64 :
            typeof(T) == typeof(int) ? ScalarType.Int32 :
            typeof(T) == typeof(short) ? ScalarType.Int16 :
            typeof(T) == typeof(byte) ? ScalarType.Byte :
            typeof(T) == typeof(sbyte) ? ScalarType.Int8 :
            typeof(T) == typeof(bool) ? ScalarType.Bool :
            typeof(T) == typeof(Half) ? ScalarType.Float16 :
            throw new NotSupportedException($"{typeof(T).Name} has no tensor element type; use float, double, long, int, short, byte, sbyte, bool or Half.");
    }
}
