using DistTrain.Torch.Native;

namespace DistTrain.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        /// <summary>this + alpha × other, broadcasting.</summary>
        public Tensor add(Tensor other, Scalar? alpha = null) => new(NativeMethods.dt_add(Handle, other.Handle, (alpha ?? 1).Value));
        /// <summary>this + alpha × other.</summary>
        public Tensor add(Scalar other, Scalar? alpha = null) => new(NativeMethods.dt_add_scalar(Handle, other.Value, (alpha ?? 1).Value));
        /// <summary>this − alpha × other, broadcasting.</summary>
        public Tensor sub(Tensor other, Scalar? alpha = null) => new(NativeMethods.dt_sub(Handle, other.Handle, (alpha ?? 1).Value));
        /// <summary>this − alpha × other.</summary>
        public Tensor sub(Scalar other, Scalar? alpha = null) => new(NativeMethods.dt_sub_scalar(Handle, other.Value, (alpha ?? 1).Value));
        /// <summary>Element-wise product, broadcasting.</summary>
        public Tensor mul(Tensor other) => new(NativeMethods.dt_mul(Handle, other.Handle));
        /// <summary>Element-wise product.</summary>
        public Tensor mul(Scalar other) => new(NativeMethods.dt_mul_scalar(Handle, other.Value));
        /// <summary>Element-wise true division, broadcasting.</summary>
        public Tensor div(Tensor other) => new(NativeMethods.dt_div(Handle, other.Handle));
        /// <summary>Element-wise true division.</summary>
        public Tensor div(Scalar other) => new(NativeMethods.dt_div_scalar(Handle, other.Value));
        /// <summary>Element-wise negation.</summary>
        public Tensor neg() => new(NativeMethods.dt_neg(Handle));
        /// <summary>Matrix product with PyTorch's broadcasting rules for 1-D and batched operands.</summary>
        public Tensor matmul(Tensor other) => new(NativeMethods.dt_matmul(Handle, other.Handle));
        /// <summary>Sum of all elements.</summary>
        public Tensor sum() => new(NativeMethods.dt_sum(Handle));
        /// <summary>Mean of all elements.</summary>
        public Tensor mean() => new(NativeMethods.dt_mean(Handle));

        public static Tensor operator +(Tensor a, Tensor b) => a.add(b);
        public static Tensor operator +(Tensor a, Scalar b) => a.add(b);
        public static Tensor operator +(Scalar a, Tensor b) => b.add(a);
        public static Tensor operator -(Tensor a, Tensor b) => a.sub(b);
        public static Tensor operator -(Tensor a, Scalar b) => a.sub(b);
        public static Tensor operator -(Scalar a, Tensor b) { using var negated = b.neg(); return negated.add(a); }
        public static Tensor operator *(Tensor a, Tensor b) => a.mul(b);
        public static Tensor operator *(Tensor a, Scalar b) => a.mul(b);
        public static Tensor operator *(Scalar a, Tensor b) => b.mul(a);
        public static Tensor operator /(Tensor a, Tensor b) => a.div(b);
        public static Tensor operator /(Tensor a, Scalar b) => a.div(b);
        public static Tensor operator -(Tensor a) => a.neg();
    }

    /// <summary>Matrix product of <paramref name="a"/> and <paramref name="b"/>.</summary>
    public static Tensor matmul(Tensor a, Tensor b) => a.matmul(b);
}
