using System.Runtime.InteropServices;
using DistTrain.Torch.Native;

namespace DistTrain.Torch;

public static partial class torch
{
    // Joining tensors (cat, stack) and splitting one (split, chunk, unbind). Pieces of a split are
    // views into this tensor.
    public partial class Tensor
    {
        /// <summary>Pieces of <paramref name="size"/> elements along <paramref name="dim"/> (the last may be smaller).</summary>
        public unsafe Tensor[] split(long size, long dim = 0)
        {
            if (size <= 0) throw new ArgumentOutOfRangeException(nameof(size), size, "split expects a positive size.");
            var length = SizeOf(dim);
            return Split(SplitOp.Size, [size], dim, (int)Math.Max(1, (length + size - 1) / size));
        }

        /// <summary>Pieces of the given <paramref name="sizes"/> along <paramref name="dim"/>; they must add up to its size.</summary>
        public Tensor[] split(ReadOnlySpan<long> sizes, long dim = 0) => Split(SplitOp.Sizes, sizes, dim, sizes.Length);

        /// <summary>At most <paramref name="chunks"/> pieces of equal size (the last may be smaller) along <paramref name="dim"/>.</summary>
        public Tensor[] chunk(long chunks, long dim = 0)
        {
            if (chunks <= 0) throw new ArgumentOutOfRangeException(nameof(chunks), chunks, "chunk expects a positive number of chunks.");
            return Split(SplitOp.Chunk, [chunks], dim, (int)Math.Min(chunks, Math.Max(1, SizeOf(dim))));
        }

        /// <summary>Every entry of dimension <paramref name="dim"/>, each without that dimension.</summary>
        public Tensor[] unbind(long dim = 0) => Split(SplitOp.Unbind, [], dim, (int)SizeOf(dim));

        private unsafe Tensor[] Split(SplitOp op, ReadOnlySpan<long> args, long dim, int capacity)
        {
            var raw = capacity <= 64 ? stackalloc IntPtr[capacity] : new IntPtr[capacity];
            int count;
            fixed (long* a = args)
            fixed (IntPtr* o = raw)
                count = NativeMethods.dt_split(Handle, (int)op, a, args.Length, dim, o, capacity);
            if (count < 0) throw NativeError.Last();
            var pieces = new Tensor[count];
            for (var i = 0; i < count; i++) pieces[i] = new Tensor(Adopt(raw[i]));
            return pieces;
        }

        /// <summary>Size of dimension <paramref name="dim"/>, with libtorch's message when it is out of range.</summary>
        private unsafe long SizeOf(long dim)
        {
            Span<long> sizes = stackalloc long[64];
            int ndim;
            fixed (long* p = sizes) ndim = NativeMethods.dt_tensor_sizes(Handle, p, sizes.Length);
            var d = dim < 0 ? dim + ndim : dim;
            if (d < 0 || d >= ndim)
                throw new TorchException($"Dimension out of range (expected to be in range of [{-ndim}, {ndim - 1}], but got {dim})");
            return sizes[(int)d];
        }

        private static TensorHandle Adopt(IntPtr raw)
        {
            var handle = new TensorHandle();
            Marshal.InitHandle(handle, raw);
            return handle;
        }
    }

    /// <summary>Joins <paramref name="tensors"/> along an existing dimension <paramref name="dim"/>.</summary>
    public static unsafe Tensor cat(ReadOnlySpan<Tensor> tensors, long dim = 0) => Join(NativeMethods.dt_cat, tensors, dim);

    /// <summary>Joins <paramref name="tensors"/> along an existing dimension <paramref name="dim"/>.</summary>
    public static Tensor cat(IList<Tensor> tensors, long dim = 0) => cat(Copy(tensors), dim);

    /// <summary>Joins <paramref name="tensors"/> (all of one shape) along a new dimension <paramref name="dim"/>.</summary>
    public static unsafe Tensor stack(ReadOnlySpan<Tensor> tensors, long dim = 0) => Join(NativeMethods.dt_stack, tensors, dim);

    /// <summary>Joins <paramref name="tensors"/> (all of one shape) along a new dimension <paramref name="dim"/>.</summary>
    public static Tensor stack(IList<Tensor> tensors, long dim = 0) => stack(Copy(tensors), dim);

    /// <summary>Pieces of <paramref name="size"/> elements along <paramref name="dim"/>.</summary>
    public static Tensor[] split(Tensor input, long size, long dim = 0) => input.split(size, dim);

    /// <summary>At most <paramref name="chunks"/> equal pieces along <paramref name="dim"/>.</summary>
    public static Tensor[] chunk(Tensor input, long chunks, long dim = 0) => input.chunk(chunks, dim);

    private static Tensor[] Copy(IList<Tensor> tensors)
    {
        var array = new Tensor[tensors.Count];
        tensors.CopyTo(array, 0);
        return array;
    }

    private unsafe delegate TensorHandle JoinFunction(IntPtr* tensors, int n, long dim);

    private static unsafe Tensor Join(JoinFunction join, ReadOnlySpan<Tensor> tensors, long dim)
    {
        var raw = tensors.Length <= 64 ? stackalloc IntPtr[tensors.Length] : new IntPtr[tensors.Length];
        for (var i = 0; i < tensors.Length; i++) raw[i] = tensors[i].Handle.DangerousGetHandle();
        fixed (IntPtr* p = raw) return new Tensor(join(p, tensors.Length, dim));
    }
}
