using DistTrain.Torch.Native;

namespace DistTrain.Torch;

public static partial class torch
{
    // Reshaping and rearranging dimensions. Views share storage with this tensor; reshape copies only
    // when a view is impossible. Negative dimensions count from the end; -1 as a size is inferred.
    public partial class Tensor
    {
        /// <summary>The same elements in a new shape (a view when possible, else a copy).</summary>
        public Tensor reshape(params ReadOnlySpan<long> shape) => ShapeOperation(ShapeOp.Reshape, shape);
        /// <summary>A view with a new shape; fails when the strides do not allow one (use <see cref="reshape"/>).</summary>
        public Tensor view(params ReadOnlySpan<long> shape) => ShapeOperation(ShapeOp.View, shape);
        /// <summary>A view with the same shape as <paramref name="other"/>.</summary>
        public Tensor view_as(Tensor other) => view(other.shape);
        /// <summary>A view with the dimensions reordered: dimension i of the result is dimension dims[i] of this.</summary>
        public Tensor permute(params ReadOnlySpan<long> dims) => ShapeOperation(ShapeOp.Permute, dims);
        /// <summary>A view broadcasting size-1 dimensions to <paramref name="sizes"/> (-1 keeps a size).</summary>
        public Tensor expand(params ReadOnlySpan<long> sizes) => ShapeOperation(ShapeOp.Expand, sizes);
        /// <summary>A view broadcasting this tensor to the shape of <paramref name="other"/>.</summary>
        public Tensor expand_as(Tensor other) => Binary(other, BinaryOp.ExpandAs);
        /// <summary>A copy tiled <paramref name="repeats"/>[i] times along each dimension.</summary>
        public Tensor repeat(params ReadOnlySpan<long> repeats) => ShapeOperation(ShapeOp.Repeat, repeats);
        /// <summary>A copy with the order of elements reversed along <paramref name="dims"/>.</summary>
        public Tensor flip(params ReadOnlySpan<long> dims) => ShapeOperation(ShapeOp.Flip, dims);
        /// <summary>A view with dimensions <paramref name="dim0"/> and <paramref name="dim1"/> swapped.</summary>
        public Tensor transpose(long dim0, long dim1) => new(NativeMethods.dt_transpose(Handle, dim0, dim1));
        /// <summary>Dimensions <paramref name="start_dim"/> to <paramref name="end_dim"/> merged into one.</summary>
        public Tensor flatten(long start_dim = 0, long end_dim = -1) => new(NativeMethods.dt_flatten(Handle, start_dim, end_dim));
        /// <summary>Dimension <paramref name="dim"/> split into <paramref name="sizes"/> (one may be -1).</summary>
        public unsafe Tensor unflatten(long dim, params ReadOnlySpan<long> sizes)
        {
            fixed (long* p = sizes) return new Tensor(NativeMethods.dt_unflatten(Handle, dim, p, sizes.Length));
        }
        /// <summary>A view without the dimensions of size 1.</summary>
        public Tensor squeeze() => Unary(UnaryOp.SqueezeAll);
        /// <summary>A view without dimension <paramref name="dim"/> if its size is 1 (else this shape).</summary>
        public Tensor squeeze(long dim) => DimOperation(DimOp.Squeeze, dim);
        /// <summary>A view with a new dimension of size 1 at <paramref name="dim"/>.</summary>
        public Tensor unsqueeze(long dim) => DimOperation(DimOp.Unsqueeze, dim);
        /// <summary>A view of <paramref name="length"/> elements of dimension <paramref name="dim"/> from <paramref name="start"/>.</summary>
        public Tensor narrow(long dim, long start, long length) => new(NativeMethods.dt_narrow(Handle, dim, start, length));
        /// <summary>A view of entry <paramref name="index"/> of dimension <paramref name="dim"/>, which disappears.</summary>
        public Tensor select(long dim, long index) => new(NativeMethods.dt_select(Handle, dim, index));
    }

    /// <summary>The same elements in a new shape.</summary>
    public static Tensor reshape(Tensor input, params ReadOnlySpan<long> shape) => input.reshape(shape);
    /// <summary>Dimensions reordered.</summary>
    public static Tensor permute(Tensor input, params ReadOnlySpan<long> dims) => input.permute(dims);
    /// <summary>Two dimensions swapped.</summary>
    public static Tensor transpose(Tensor input, long dim0, long dim1) => input.transpose(dim0, dim1);
    /// <summary>Dimensions merged into one.</summary>
    public static Tensor flatten(Tensor input, long start_dim = 0, long end_dim = -1) => input.flatten(start_dim, end_dim);
    /// <summary>Size-1 dimensions removed.</summary>
    public static Tensor squeeze(Tensor input) => input.squeeze();
    /// <summary>A size-1 dimension inserted at <paramref name="dim"/>.</summary>
    public static Tensor unsqueeze(Tensor input, long dim) => input.unsqueeze(dim);
    /// <summary>Elements reversed along <paramref name="dims"/>.</summary>
    public static Tensor flip(Tensor input, params ReadOnlySpan<long> dims) => input.flip(dims);
    /// <summary>A narrowed view.</summary>
    public static Tensor narrow(Tensor input, long dim, long start, long length) => input.narrow(dim, start, length);
}
