using DistTrain.Torch.Native;

namespace DistTrain.Torch;

public static partial class torch
{
    // Python-style indexing (t[i], t[i, j], t[1..3, TensorIndex.Ellipsis, mask]) and the gather/scatter
    // family. Integer and slice indices give views; tensor indices give copies. Setting through an
    // index writes into this tensor's storage.
    public partial class Tensor
    {
        /// <summary>Entry <paramref name="index"/> of the first dimension (a view without that dimension).</summary>
        public Tensor this[long index]
        {
            get => select(0, index);
            set => index_put_(value, [TensorIndex.Single(index)]);
        }

        /// <summary>Element or row (<paramref name="i"/>, <paramref name="j"/>) (a view without those dimensions).</summary>
        public Tensor this[long i, long j]
        {
            get => index([TensorIndex.Single(i), TensorIndex.Single(j)]);
            set => index_put_(value, [TensorIndex.Single(i), TensorIndex.Single(j)]);
        }

        /// <summary>The part of this tensor an index list selects, as Python's t[...].</summary>
        public Tensor this[params ReadOnlySpan<TensorIndex> indices]
        {
            get => index(indices);
            set => index_put_(value, indices);
        }

        /// <summary>The part of this tensor an index list selects, as Python's t[...].</summary>
        public unsafe Tensor index(params ReadOnlySpan<TensorIndex> indices) =>
            WithIndices(indices, this, static (self, k, i, t, n) => new Tensor(NativeMethods.dt_index(self.Handle, k, i, t, n)));

        /// <summary>Writes <paramref name="value"/> (broadcast) into the part of this tensor the indices select; returns this.</summary>
        public unsafe Tensor index_put_(Tensor value, params ReadOnlySpan<TensorIndex> indices) =>
            WithIndices(indices, (self: this, value),
                static (s, k, i, t, n) => s.self.Status(NativeMethods.dt_index_put_(s.self.Handle, k, i, t, n, s.value.Handle)));

        /// <summary>Sets the part of this tensor the indices select to <paramref name="value"/>; returns this.</summary>
        public unsafe Tensor index_put_(Scalar value, params ReadOnlySpan<TensorIndex> indices) =>
            WithIndices(indices, (self: this, value),
                static (s, k, i, t, n) => s.self.Status(NativeMethods.dt_index_put_scalar_(s.self.Handle, k, i, t, n, s.value.Value)));

        private unsafe delegate Tensor IndexCall<TState>(TState state, int* kinds, long* ints, IntPtr* tensors, int n);

        /// <summary>Encodes an index list for the C ABI on the stack (kinds, three integers and a tensor per entry) and calls <paramref name="call"/>.</summary>
        private static unsafe Tensor WithIndices<TState>(ReadOnlySpan<TensorIndex> indices, TState state, IndexCall<TState> call)
        {
            var n = indices.Length;
            if (n > 64) throw new ArgumentException($"At most 64 indices are supported, got {n}.", nameof(indices));
            int* kinds = stackalloc int[n];
            long* ints = stackalloc long[3 * n];
            IntPtr* tensors = stackalloc IntPtr[n];
            for (var i = 0; i < n; i++)
            {
                ref readonly var entry = ref indices[i];
                kinds[i] = (int)entry.Kind;
                ints[3 * i] = entry.Start;
                ints[3 * i + 1] = entry.Stop;
                ints[3 * i + 2] = entry.Step;
                tensors[i] = entry.IndexTensor is { } t ? t.Handle.DangerousGetHandle() : IntPtr.Zero;
            }
            return call(state, kinds, ints, tensors, n);
        }

        /// <summary>The entries of dimension <paramref name="dim"/> at the int64 positions <paramref name="index"/>.</summary>
        public Tensor index_select(long dim, Tensor index) => new(NativeMethods.dt_index_select(Handle, dim, index.Handle));
        /// <summary>out[i][j] = this[index[i][j]][j] for dim 0 (and likewise for other dims); index has the output's shape.</summary>
        public Tensor gather(long dim, Tensor index) => new(NativeMethods.dt_gather(Handle, dim, index.Handle));
        /// <summary>A copy of this with src's elements written at the positions <paramref name="index"/> gives along <paramref name="dim"/>.</summary>
        public Tensor scatter(long dim, Tensor index, Tensor src) => new(NativeMethods.dt_scatter(Handle, dim, index.Handle, src.Handle));
        /// <summary>Writes src's elements at the positions <paramref name="index"/> gives along <paramref name="dim"/>, in place.</summary>
        public Tensor scatter_(long dim, Tensor index, Tensor src) => Status(NativeMethods.dt_scatter_(Handle, dim, index.Handle, src.Handle));
        /// <summary>Writes <paramref name="value"/> at the positions <paramref name="index"/> gives along <paramref name="dim"/>, in place.</summary>
        public Tensor scatter_(long dim, Tensor index, Scalar value) => Status(NativeMethods.dt_scatter_scalar_(Handle, dim, index.Handle, value.Value));
        /// <summary>A copy of this with <paramref name="value"/> where <paramref name="mask"/> (bool, broadcasting) is true.</summary>
        public Tensor masked_fill(Tensor mask, Scalar value) => new(NativeMethods.dt_masked_fill(Handle, mask.Handle, value.Value));
        /// <summary>Sets the elements where <paramref name="mask"/> is true to <paramref name="value"/>, in place.</summary>
        public Tensor masked_fill_(Tensor mask, Scalar value) => Status(NativeMethods.dt_masked_fill_(Handle, mask.Handle, value.Value));
        /// <summary>The positions of the non-zero elements, one row per element (int64, n × dim()).</summary>
        public Tensor nonzero() => Unary(UnaryOp.Nonzero);
    }

    /// <summary>The entries of dimension <paramref name="dim"/> at the positions <paramref name="index"/>.</summary>
    public static Tensor index_select(Tensor input, long dim, Tensor index) => input.index_select(dim, index);
    /// <summary>Values gathered along <paramref name="dim"/> at <paramref name="index"/>.</summary>
    public static Tensor gather(Tensor input, long dim, Tensor index) => input.gather(dim, index);
    /// <summary>The positions of the non-zero elements.</summary>
    public static Tensor nonzero(Tensor input) => input.nonzero();
    /// <summary>A copy with <paramref name="value"/> where the mask is true.</summary>
    public static Tensor masked_fill(Tensor input, Tensor mask, Scalar value) => input.masked_fill(mask, value);
}
