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
        /// <summary>Remainder with the sign of the divisor (Python's %), broadcasting.</summary>
        public Tensor remainder(Tensor other) => Binary(other, BinaryOp.Remainder);
        /// <summary>Remainder with the sign of the divisor (Python's %).</summary>
        public Tensor remainder(Scalar other) => Binary(other, BinaryOp.Remainder);
        /// <summary>Remainder with the sign of the dividend (C's fmod), broadcasting.</summary>
        public Tensor fmod(Tensor other) => Binary(other, BinaryOp.Fmod);
        /// <summary>Remainder with the sign of the dividend (C's fmod).</summary>
        public Tensor fmod(Scalar other) => Binary(other, BinaryOp.Fmod);
        /// <summary>Division rounded down (Python's //), broadcasting.</summary>
        public Tensor floor_divide(Tensor other) => Binary(other, BinaryOp.FloorDivide);
        /// <summary>Division rounded down (Python's //).</summary>
        public Tensor floor_divide(Scalar other) => Binary(other, BinaryOp.FloorDivide);
        /// <summary>Element-wise power with tensor exponents, broadcasting.</summary>
        public Tensor pow(Tensor exponent) => Binary(exponent, BinaryOp.Pow);
        /// <summary>Element-wise power.</summary>
        public Tensor pow(Scalar exponent) => Binary(exponent, BinaryOp.Pow);
        /// <summary>Element-wise larger of the two, broadcasting (NaN wins).</summary>
        public Tensor maximum(Tensor other) => Binary(other, BinaryOp.Maximum);
        /// <summary>Element-wise smaller of the two, broadcasting (NaN wins).</summary>
        public Tensor minimum(Tensor other) => Binary(other, BinaryOp.Minimum);
        /// <summary>The angle of (other, this) in radians, element-wise.</summary>
        public Tensor atan2(Tensor other) => Binary(other, BinaryOp.Atan2);

        /// <summary>this += alpha × other, in place.</summary>
        public Tensor add_(Tensor other, Scalar? alpha = null) => Status(NativeMethods.dt_add_(Handle, other.Handle, (alpha ?? 1).Value));
        /// <summary>this += other, in place.</summary>
        public Tensor add_(Scalar other) => BinaryInPlace(other, BinaryOp.Add);
        /// <summary>this −= alpha × other, in place.</summary>
        public Tensor sub_(Tensor other, Scalar? alpha = null) => Status(NativeMethods.dt_sub_(Handle, other.Handle, (alpha ?? 1).Value));
        /// <summary>this −= other, in place.</summary>
        public Tensor sub_(Scalar other) => BinaryInPlace(other, BinaryOp.Sub);
        /// <summary>this ×= other, in place.</summary>
        public Tensor mul_(Tensor other) => BinaryInPlace(other, BinaryOp.Mul);
        /// <summary>this ×= other, in place.</summary>
        public Tensor mul_(Scalar other) => BinaryInPlace(other, BinaryOp.Mul);
        /// <summary>this /= other, in place.</summary>
        public Tensor div_(Tensor other) => BinaryInPlace(other, BinaryOp.Div);
        /// <summary>this /= other, in place.</summary>
        public Tensor div_(Scalar other) => BinaryInPlace(other, BinaryOp.Div);
        /// <summary>this = this ** exponent, in place.</summary>
        public Tensor pow_(Tensor exponent) => BinaryInPlace(exponent, BinaryOp.Pow);
        /// <summary>this = this ** exponent, in place.</summary>
        public Tensor pow_(Scalar exponent) => BinaryInPlace(exponent, BinaryOp.Pow);
        /// <summary>this = this % other (Python's %), in place.</summary>
        public Tensor remainder_(Scalar other) => BinaryInPlace(other, BinaryOp.Remainder);

        public static Tensor operator +(Tensor a, Tensor b) => a.add(b);
        public static Tensor operator +(Tensor a, Scalar b) => a.add(b);
        public static Tensor operator +(Scalar a, Tensor b) => b.add(a);
        public static Tensor operator -(Tensor a, Tensor b) => a.sub(b);
        public static Tensor operator -(Tensor a, Scalar b) => a.sub(b);
        public static Tensor operator -(Scalar a, Tensor b) => Binary(a, b, BinaryOp.Sub);
        public static Tensor operator *(Tensor a, Tensor b) => a.mul(b);
        public static Tensor operator *(Tensor a, Scalar b) => a.mul(b);
        public static Tensor operator *(Scalar a, Tensor b) => b.mul(a);
        public static Tensor operator /(Tensor a, Tensor b) => a.div(b);
        public static Tensor operator /(Tensor a, Scalar b) => a.div(b);
        public static Tensor operator /(Scalar a, Tensor b) => Binary(a, b, BinaryOp.Div);
        public static Tensor operator %(Tensor a, Tensor b) => a.remainder(b);
        public static Tensor operator %(Tensor a, Scalar b) => a.remainder(b);
        public static Tensor operator %(Scalar a, Tensor b) => Binary(a, b, BinaryOp.Remainder);
        public static Tensor operator -(Tensor a) => a.neg();
    }

    /// <summary>a + alpha × b.</summary>
    public static Tensor add(Tensor a, Tensor b, Scalar? alpha = null) => a.add(b, alpha);
    /// <summary>a − alpha × b.</summary>
    public static Tensor sub(Tensor a, Tensor b, Scalar? alpha = null) => a.sub(b, alpha);
    /// <summary>Element-wise product.</summary>
    public static Tensor mul(Tensor a, Tensor b) => a.mul(b);
    /// <summary>
    /// Writes <paramref name="input"/> × <paramref name="other"/> into <paramref name="out"/> in one pass and
    /// returns it (PyTorch's <c>torch.mul(input, other, out=out)</c>); <paramref name="out"/> may be a view.
    /// </summary>
    public static Tensor mul(Tensor input, Scalar other, Tensor @out)
    {
        NativeError.Check(NativeMethods.dt_mul_scalar_out(@out.Handle, input.Handle, other.Value));
        return @out;
    }
    /// <summary>Element-wise true division.</summary>
    public static Tensor div(Tensor a, Tensor b) => a.div(b);
    /// <summary>Remainder with the sign of the divisor.</summary>
    public static Tensor remainder(Tensor a, Tensor b) => a.remainder(b);
    /// <summary>Element-wise power.</summary>
    public static Tensor pow(Tensor input, Tensor exponent) => input.pow(exponent);
    /// <summary>Element-wise power.</summary>
    public static Tensor pow(Tensor input, Scalar exponent) => input.pow(exponent);
    /// <summary>A scalar raised to each element of <paramref name="exponent"/>.</summary>
    public static Tensor pow(Scalar self, Tensor exponent) => Tensor.Binary(self, exponent, BinaryOp.Pow);
    /// <summary>Element-wise larger of the two.</summary>
    public static Tensor maximum(Tensor a, Tensor b) => a.maximum(b);
    /// <summary>Element-wise smaller of the two.</summary>
    public static Tensor minimum(Tensor a, Tensor b) => a.minimum(b);
}
