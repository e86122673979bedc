using DistTrain.Torch.Native;

namespace DistTrain.Torch;

public static partial class torch
{
    // Choosing between values element-wise: where, clamp.
    public partial class Tensor
    {
        /// <summary>Each element limited to [min, max]; a null bound is not applied.</summary>
        public Tensor clamp(Scalar? min = null, Scalar? max = null) =>
            new(NativeMethods.dt_clamp(Handle, (min ?? 0).Value, (max ?? 0).Value, Bounds(min, max)));
        /// <summary>Each element limited to [min, max] in place; a null bound is not applied.</summary>
        public Tensor clamp_(Scalar? min = null, Scalar? max = null) =>
            Status(NativeMethods.dt_clamp_(Handle, (min ?? 0).Value, (max ?? 0).Value, Bounds(min, max)));
        /// <summary>Each element limited element-wise by tensor bounds (broadcasting); a null bound is not applied.</summary>
        public Tensor clamp(Tensor? min, Tensor? max) =>
            new(NativeMethods.dt_clamp_tensor(Handle, min?.Handle ?? TensorHandle.Null, max?.Handle ?? TensorHandle.Null));
        /// <summary>max(x, min), element-wise.</summary>
        public Tensor clamp_min(Scalar min) => clamp(min, null);
        /// <summary>min(x, max), element-wise.</summary>
        public Tensor clamp_max(Scalar max) => clamp(null, max);
        /// <summary>Same as <see cref="clamp(Scalar?, Scalar?)"/>.</summary>
        public Tensor clip(Scalar? min = null, Scalar? max = null) => clamp(min, max);

        /// <summary>Elements of this where <paramref name="condition"/> is true, of <paramref name="other"/> elsewhere (broadcasting).</summary>
        public Tensor where(Tensor condition, Tensor other) => torch.where(condition, this, other);

        private static int Bounds(Scalar? min, Scalar? max) => (min.HasValue ? 1 : 0) | (max.HasValue ? 2 : 0);
    }

    /// <summary>Elements of <paramref name="x"/> where <paramref name="condition"/> is true, of <paramref name="y"/> elsewhere (broadcasting).</summary>
    public static Tensor where(Tensor condition, Tensor x, Tensor y) => new(NativeMethods.dt_where(condition.Handle, x.Handle, y.Handle));

    /// <summary>Elements of <paramref name="x"/> where <paramref name="condition"/> is true, <paramref name="y"/> elsewhere.</summary>
    public static Tensor where(Tensor condition, Tensor x, Scalar y) => new(NativeMethods.dt_where_scalar(condition.Handle, x.Handle, y.Value));

    /// <summary>Each element limited to [min, max]; a null bound is not applied.</summary>
    public static Tensor clamp(Tensor input, Scalar? min = null, Scalar? max = null) => input.clamp(min, max);
}
