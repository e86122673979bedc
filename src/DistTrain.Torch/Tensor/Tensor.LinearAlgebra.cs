using DistTrain.Torch.Native;

namespace DistTrain.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        /// <summary>Matrix product with PyTorch's broadcasting rules for 1-D and batched operands.</summary>
        public Tensor matmul(Tensor other) => new(NativeMethods.dt_matmul(Handle, other.Handle));
        /// <summary>Product of two matrices, (n×m)·(m×p) → (n×p); no broadcasting.</summary>
        public Tensor mm(Tensor mat2) => Binary(mat2, BinaryOp.Mm);
        /// <summary>Batched matrix product, (b×n×m)·(b×m×p) → (b×n×p).</summary>
        public Tensor bmm(Tensor mat2) => Binary(mat2, BinaryOp.Bmm);
        /// <summary>Inner product of two 1-D tensors of the same length.</summary>
        public Tensor dot(Tensor other) => Binary(other, BinaryOp.Dot);
        /// <summary>Outer product of two 1-D tensors, (n)·(m) → (n×m).</summary>
        public Tensor outer(Tensor vec2) => Binary(vec2, BinaryOp.Outer);
        /// <summary>beta × this + alpha × (mat1 · mat2), this broadcasting to the product's shape.</summary>
        public Tensor addmm(Tensor mat1, Tensor mat2, Scalar? beta = null, Scalar? alpha = null) =>
            new(NativeMethods.dt_addmm(Handle, mat1.Handle, mat2.Handle, (beta ?? 1).Value, (alpha ?? 1).Value));
        /// <summary>The transpose of a matrix (a 0-D or 1-D tensor is returned as it is).</summary>
        public Tensor t() => Unary(UnaryOp.T);
        /// <summary>The transpose of a matrix.</summary>
        public Tensor T => t();
    }

    /// <summary>Matrix product of <paramref name="a"/> and <paramref name="b"/>.</summary>
    public static Tensor matmul(Tensor a, Tensor b) => a.matmul(b);
    /// <summary>Product of two matrices.</summary>
    public static Tensor mm(Tensor a, Tensor b) => a.mm(b);
    /// <summary>Batched matrix product.</summary>
    public static Tensor bmm(Tensor a, Tensor b) => a.bmm(b);
    /// <summary>Inner product of two 1-D tensors.</summary>
    public static Tensor dot(Tensor a, Tensor b) => a.dot(b);
    /// <summary>Outer product of two 1-D tensors.</summary>
    public static Tensor outer(Tensor a, Tensor b) => a.outer(b);
    /// <summary>beta × input + alpha × (mat1 · mat2).</summary>
    public static Tensor addmm(Tensor input, Tensor mat1, Tensor mat2, Scalar? beta = null, Scalar? alpha = null) =>
        input.addmm(mat1, mat2, beta, alpha);
}
