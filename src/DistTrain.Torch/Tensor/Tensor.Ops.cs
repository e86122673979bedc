using DistTrain.Torch.Native;

namespace DistTrain.Torch;

public static partial class torch
{
    // The shapes every operation family shares: one native call each, the error check in one place.
    public partial class Tensor
    {
        private Tensor Unary(UnaryOp op) => new(NativeMethods.dt_unary(Handle, (int)op));

        private Tensor UnaryInPlace(UnaryOp op)
        {
            NativeError.Check(NativeMethods.dt_unary_(Handle, (int)op));
            return this;
        }

        private Tensor Binary(Tensor other, BinaryOp op) => new(NativeMethods.dt_binary(Handle, other.Handle, (int)op));

        private Tensor Binary(Scalar other, BinaryOp op) => new(NativeMethods.dt_binary_scalar(Handle, other.Value, (int)op));

        internal static Tensor Binary(Scalar left, Tensor right, BinaryOp op) => new(NativeMethods.dt_scalar_binary(left.Value, right.Handle, (int)op));

        private Tensor BinaryInPlace(Tensor other, BinaryOp op)
        {
            NativeError.Check(NativeMethods.dt_binary_(Handle, other.Handle, (int)op));
            return this;
        }

        private Tensor BinaryInPlace(Scalar other, BinaryOp op)
        {
            NativeError.Check(NativeMethods.dt_binary_scalar_(Handle, other.Value, (int)op));
            return this;
        }

        private Tensor DimOperation(DimOp op, long dim) => new(NativeMethods.dt_dim_op(Handle, (int)op, dim));

        private unsafe Tensor ShapeOperation(ShapeOp op, ReadOnlySpan<long> sizes)
        {
            fixed (long* p = sizes) return new Tensor(NativeMethods.dt_shape_op(Handle, (int)op, p, sizes.Length));
        }

        private Tensor Status(int status)
        {
            NativeError.Check(status);
            return this;
        }

        /// <summary>Wraps a pair of handles returned through out-parameters, disposing both if the call failed.</summary>
        private static (Tensor, Tensor) Pair(int status, TensorHandle first, TensorHandle second)
        {
            if (status != 0)
            {
                first.Dispose();
                second.Dispose();
                throw NativeError.Last();
            }
            return (new Tensor(first), new Tensor(second));
        }
    }
}
