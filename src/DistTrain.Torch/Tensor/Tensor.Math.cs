using DistTrain.Torch.Native;

namespace DistTrain.Torch;

public static partial class torch
{
    // Element-wise math of one tensor; a trailing underscore marks the in-place variant, which
    // modifies this tensor and returns it.
    public partial class Tensor
    {
        /// <summary>eˣ, element-wise.</summary>
        public Tensor exp() => Unary(UnaryOp.Exp);
        /// <summary>eˣ in place.</summary>
        public Tensor exp_() => UnaryInPlace(UnaryOp.Exp);
        /// <summary>eˣ − 1, accurate near zero.</summary>
        public Tensor expm1() => Unary(UnaryOp.Expm1);
        /// <summary>Natural logarithm.</summary>
        public Tensor log() => Unary(UnaryOp.Log);
        /// <summary>Natural logarithm in place.</summary>
        public Tensor log_() => UnaryInPlace(UnaryOp.Log);
        /// <summary>ln(1 + x), accurate near zero.</summary>
        public Tensor log1p() => Unary(UnaryOp.Log1p);
        /// <summary>Base-2 logarithm.</summary>
        public Tensor log2() => Unary(UnaryOp.Log2);
        /// <summary>Base-10 logarithm.</summary>
        public Tensor log10() => Unary(UnaryOp.Log10);
        /// <summary>Square root.</summary>
        public Tensor sqrt() => Unary(UnaryOp.Sqrt);
        /// <summary>Square root in place.</summary>
        public Tensor sqrt_() => UnaryInPlace(UnaryOp.Sqrt);
        /// <summary>1 / √x.</summary>
        public Tensor rsqrt() => Unary(UnaryOp.Rsqrt);
        /// <summary>x².</summary>
        public Tensor square() => Unary(UnaryOp.Square);
        /// <summary>1 / x.</summary>
        public Tensor reciprocal() => Unary(UnaryOp.Reciprocal);
        /// <summary>Absolute value.</summary>
        public Tensor abs() => Unary(UnaryOp.Abs);
        /// <summary>Absolute value in place.</summary>
        public Tensor abs_() => UnaryInPlace(UnaryOp.Abs);
        /// <summary>−1, 0 or 1 by the sign of each element.</summary>
        public Tensor sign() => Unary(UnaryOp.Sign);
        /// <summary>Negation in place.</summary>
        public Tensor neg_() => UnaryInPlace(UnaryOp.Neg);
        /// <summary>Sine (radians).</summary>
        public Tensor sin() => Unary(UnaryOp.Sin);
        /// <summary>Cosine (radians).</summary>
        public Tensor cos() => Unary(UnaryOp.Cos);
        /// <summary>Tangent (radians).</summary>
        public Tensor tan() => Unary(UnaryOp.Tan);
        /// <summary>Hyperbolic tangent.</summary>
        public Tensor tanh() => Unary(UnaryOp.Tanh);
        /// <summary>Hyperbolic tangent in place.</summary>
        public Tensor tanh_() => UnaryInPlace(UnaryOp.Tanh);
        /// <summary>1 / (1 + e⁻ˣ).</summary>
        public Tensor sigmoid() => Unary(UnaryOp.Sigmoid);
        /// <summary>1 / (1 + e⁻ˣ) in place.</summary>
        public Tensor sigmoid_() => UnaryInPlace(UnaryOp.Sigmoid);
        /// <summary>max(x, 0).</summary>
        public Tensor relu() => Unary(UnaryOp.Relu);
        /// <summary>max(x, 0) in place.</summary>
        public Tensor relu_() => UnaryInPlace(UnaryOp.Relu);
        /// <summary>The Gauss error function.</summary>
        public Tensor erf() => Unary(UnaryOp.Erf);
        /// <summary>Largest integer ≤ x.</summary>
        public Tensor floor() => Unary(UnaryOp.Floor);
        /// <summary>Smallest integer ≥ x.</summary>
        public Tensor ceil() => Unary(UnaryOp.Ceil);
        /// <summary>Nearest integer, halves to even.</summary>
        public Tensor round() => Unary(UnaryOp.Round);
        /// <summary>The integer part, rounding toward zero.</summary>
        public Tensor trunc() => Unary(UnaryOp.Trunc);
        /// <summary>Sets every element to zero in place.</summary>
        public Tensor zero_() => UnaryInPlace(UnaryOp.Zero);
        /// <summary>True where the element is NaN.</summary>
        public Tensor isnan() => Unary(UnaryOp.IsNan);
        /// <summary>True where the element is ±∞.</summary>
        public Tensor isinf() => Unary(UnaryOp.IsInf);
        /// <summary>True where the element is neither NaN nor ±∞.</summary>
        public Tensor isfinite() => Unary(UnaryOp.IsFinite);
    }

    /// <summary>eˣ, element-wise.</summary>
    public static Tensor exp(Tensor input) => input.exp();
    /// <summary>Natural logarithm.</summary>
    public static Tensor log(Tensor input) => input.log();
    /// <summary>ln(1 + x).</summary>
    public static Tensor log1p(Tensor input) => input.log1p();
    /// <summary>Square root.</summary>
    public static Tensor sqrt(Tensor input) => input.sqrt();
    /// <summary>1 / √x.</summary>
    public static Tensor rsqrt(Tensor input) => input.rsqrt();
    /// <summary>x².</summary>
    public static Tensor square(Tensor input) => input.square();
    /// <summary>1 / x.</summary>
    public static Tensor reciprocal(Tensor input) => input.reciprocal();
    /// <summary>Absolute value.</summary>
    public static Tensor abs(Tensor input) => input.abs();
    /// <summary>−1, 0 or 1 by sign.</summary>
    public static Tensor sign(Tensor input) => input.sign();
    /// <summary>Negation.</summary>
    public static Tensor neg(Tensor input) => input.neg();
    /// <summary>Sine.</summary>
    public static Tensor sin(Tensor input) => input.sin();
    /// <summary>Cosine.</summary>
    public static Tensor cos(Tensor input) => input.cos();
    /// <summary>Hyperbolic tangent.</summary>
    public static Tensor tanh(Tensor input) => input.tanh();
    /// <summary>Logistic sigmoid.</summary>
    public static Tensor sigmoid(Tensor input) => input.sigmoid();
    /// <summary>max(x, 0).</summary>
    public static Tensor relu(Tensor input) => input.relu();
    /// <summary>Largest integer ≤ x.</summary>
    public static Tensor floor(Tensor input) => input.floor();
    /// <summary>Smallest integer ≥ x.</summary>
    public static Tensor ceil(Tensor input) => input.ceil();
    /// <summary>Nearest integer, halves to even.</summary>
    public static Tensor round(Tensor input) => input.round();
    /// <summary>True where NaN.</summary>
    public static Tensor isnan(Tensor input) => input.isnan();
}
