using DistTrain.Torch.Native;

namespace DistTrain.Torch;

public static partial class torch
{
    // Comparisons return bool tensors. The ordering operators (<, <=, >, >=) compare element-wise as
    // in PyTorch. == and != are deliberately NOT overloaded: Tensor is a class, and code across the
    // library (and users') writes `grad == null`, `tensor != null` and uses tensors as dictionary
    // keys; an == returning a Tensor would break those checks (they would no longer compile as a
    // bool, or worse, call into libtorch with a null). Use eq()/ne() for element-wise equality and
    // equal() for "same shape and elements". == stays reference equality.
    public partial class Tensor
    {
        /// <summary>this == other, element-wise, broadcasting.</summary>
        public Tensor eq(Tensor other) => Binary(other, BinaryOp.Eq);
        /// <summary>this == other, element-wise.</summary>
        public Tensor eq(Scalar other) => Binary(other, BinaryOp.Eq);
        /// <summary>this != other, element-wise, broadcasting.</summary>
        public Tensor ne(Tensor other) => Binary(other, BinaryOp.Ne);
        /// <summary>this != other, element-wise.</summary>
        public Tensor ne(Scalar other) => Binary(other, BinaryOp.Ne);
        /// <summary>this &lt; other, element-wise, broadcasting.</summary>
        public Tensor lt(Tensor other) => Binary(other, BinaryOp.Lt);
        /// <summary>this &lt; other, element-wise.</summary>
        public Tensor lt(Scalar other) => Binary(other, BinaryOp.Lt);
        /// <summary>this ≤ other, element-wise, broadcasting.</summary>
        public Tensor le(Tensor other) => Binary(other, BinaryOp.Le);
        /// <summary>this ≤ other, element-wise.</summary>
        public Tensor le(Scalar other) => Binary(other, BinaryOp.Le);
        /// <summary>this &gt; other, element-wise, broadcasting.</summary>
        public Tensor gt(Tensor other) => Binary(other, BinaryOp.Gt);
        /// <summary>this &gt; other, element-wise.</summary>
        public Tensor gt(Scalar other) => Binary(other, BinaryOp.Gt);
        /// <summary>this ≥ other, element-wise, broadcasting.</summary>
        public Tensor ge(Tensor other) => Binary(other, BinaryOp.Ge);
        /// <summary>this ≥ other, element-wise.</summary>
        public Tensor ge(Scalar other) => Binary(other, BinaryOp.Ge);

        /// <summary>Element-wise logical and (non-zero is true), broadcasting.</summary>
        public Tensor logical_and(Tensor other) => Binary(other, BinaryOp.LogicalAnd);
        /// <summary>Element-wise logical or (non-zero is true), broadcasting.</summary>
        public Tensor logical_or(Tensor other) => Binary(other, BinaryOp.LogicalOr);
        /// <summary>Element-wise logical exclusive or (non-zero is true), broadcasting.</summary>
        public Tensor logical_xor(Tensor other) => Binary(other, BinaryOp.LogicalXor);
        /// <summary>Element-wise logical not (non-zero is true).</summary>
        public Tensor logical_not() => Unary(UnaryOp.LogicalNot);
        /// <summary>Bitwise and of integer or bool tensors.</summary>
        public Tensor bitwise_and(Tensor other) => Binary(other, BinaryOp.BitwiseAnd);
        /// <summary>Bitwise or of integer or bool tensors.</summary>
        public Tensor bitwise_or(Tensor other) => Binary(other, BinaryOp.BitwiseOr);
        /// <summary>Bitwise exclusive or of integer or bool tensors.</summary>
        public Tensor bitwise_xor(Tensor other) => Binary(other, BinaryOp.BitwiseXor);
        /// <summary>Bitwise not of an integer tensor; logical not of a bool tensor.</summary>
        public Tensor bitwise_not() => Unary(UnaryOp.BitwiseNot);

        /// <summary>True when both tensors have the same shape and the same elements.</summary>
        public bool equal(Tensor other)
        {
            if (!shape.AsSpan().SequenceEqual(other.shape)) return false;
            using var same = eq(other);
            using var all = same.all();
            return all.item<byte>() != 0;
        }

        /// <summary>True when |this − other| ≤ atol + rtol × |other| everywhere (shapes broadcasting).</summary>
        public bool allclose(Tensor other, double rtol = 1e-05, double atol = 1e-08)
        {
            using var scope = NewDisposeScope();
            return (this - other).abs().le(other.abs() * rtol + atol).all().item<byte>() != 0;
        }

        public static Tensor operator <(Tensor a, Tensor b) => a.lt(b);
        public static Tensor operator <(Tensor a, Scalar b) => a.lt(b);
        public static Tensor operator <(Scalar a, Tensor b) => b.gt(a);
        public static Tensor operator <=(Tensor a, Tensor b) => a.le(b);
        public static Tensor operator <=(Tensor a, Scalar b) => a.le(b);
        public static Tensor operator <=(Scalar a, Tensor b) => b.ge(a);
        public static Tensor operator >(Tensor a, Tensor b) => a.gt(b);
        public static Tensor operator >(Tensor a, Scalar b) => a.gt(b);
        public static Tensor operator >(Scalar a, Tensor b) => b.lt(a);
        public static Tensor operator >=(Tensor a, Tensor b) => a.ge(b);
        public static Tensor operator >=(Tensor a, Scalar b) => a.ge(b);
        public static Tensor operator >=(Scalar a, Tensor b) => b.le(a);
        public static Tensor operator &(Tensor a, Tensor b) => a.bitwise_and(b);
        public static Tensor operator |(Tensor a, Tensor b) => a.bitwise_or(b);
        public static Tensor operator ^(Tensor a, Tensor b) => a.bitwise_xor(b);
        public static Tensor operator ~(Tensor a) => a.bitwise_not();
    }

    /// <summary>a == b, element-wise.</summary>
    public static Tensor eq(Tensor a, Tensor b) => a.eq(b);
    /// <summary>a != b, element-wise.</summary>
    public static Tensor ne(Tensor a, Tensor b) => a.ne(b);
    /// <summary>a &lt; b, element-wise.</summary>
    public static Tensor lt(Tensor a, Tensor b) => a.lt(b);
    /// <summary>a ≤ b, element-wise.</summary>
    public static Tensor le(Tensor a, Tensor b) => a.le(b);
    /// <summary>a &gt; b, element-wise.</summary>
    public static Tensor gt(Tensor a, Tensor b) => a.gt(b);
    /// <summary>a ≥ b, element-wise.</summary>
    public static Tensor ge(Tensor a, Tensor b) => a.ge(b);
    /// <summary>Element-wise logical and.</summary>
    public static Tensor logical_and(Tensor a, Tensor b) => a.logical_and(b);
    /// <summary>Element-wise logical or.</summary>
    public static Tensor logical_or(Tensor a, Tensor b) => a.logical_or(b);
    /// <summary>Element-wise logical not.</summary>
    public static Tensor logical_not(Tensor a) => a.logical_not();
    /// <summary>True when both have the same shape and elements.</summary>
    public static bool equal(Tensor a, Tensor b) => a.equal(b);
    /// <summary>True when a and b are element-wise close (see <see cref="Tensor.allclose"/>).</summary>
    public static bool allclose(Tensor a, Tensor b, double rtol = 1e-05, double atol = 1e-08) => a.allclose(b, rtol, atol);
}
