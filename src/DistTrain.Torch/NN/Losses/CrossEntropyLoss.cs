using DistTrain.Torch.Native;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Modules
{
    /// <summary>
    /// Cross entropy between logits and classes: log_softmax then negative log likelihood, in one op.
    /// Input (N, C) or (N, C, d1, …) logits; target (N) or (N, d1, …) class indices (int64), or
    /// class probabilities shaped like the input. Optional per-class weight (C), ignore_index and
    /// label smoothing in [0, 1].
    /// </summary>
    public sealed class CrossEntropyLoss : nn.Module<Tensor, Tensor, Tensor>
    {
        private readonly Tensor? _weight;

        internal CrossEntropyLoss(Tensor? weight, long ignore_index, nn.Reduction reduction, double label_smoothing) : base(nameof(CrossEntropyLoss))
        {
            if (label_smoothing is < 0 or > 1)
                throw new ArgumentOutOfRangeException(nameof(label_smoothing), label_smoothing, "label_smoothing must be between 0.0 and 1.0.");
            _weight = weight?.alias();
            register_buffer("weight", _weight);
            this.ignore_index = ignore_index;
            this.reduction = reduction;
            this.label_smoothing = label_smoothing;
        }

        /// <summary>The per-class weight (C), or null.</summary>
        public Tensor? weight => _weight;
        /// <summary>Target value that contributes nothing (class-index targets only).</summary>
        public long ignore_index { get; }
        /// <summary>How the per-sample losses are reduced (the weighted mean by default).</summary>
        public nn.Reduction reduction { get; }
        /// <summary>Amount of smoothing towards the uniform distribution.</summary>
        public double label_smoothing { get; }

        /// <inheritdoc />
        public override Tensor forward(Tensor input, Tensor target) =>
            nn.functional.cross_entropy(input, target, _weight, ignore_index, reduction, label_smoothing);
    }
}

namespace DistTrain.Torch
{
    public static partial class torch
    {
        public static partial class nn
        {
            /// <summary>Cross entropy loss on logits (the module keeps its own handle to <paramref name="weight"/>).</summary>
            public static Modules.CrossEntropyLoss CrossEntropyLoss(Tensor? weight = null, long ignore_index = -100,
                Reduction reduction = Reduction.Mean, double label_smoothing = 0.0) =>
                new(weight, ignore_index, reduction, label_smoothing);

            public static partial class functional
            {
                /// <summary>
                /// Cross entropy of logits <paramref name="input"/> (N, C, …) against class indices (N, …) or
                /// probabilities (N, C, …); a scalar, or (N, …) with <see cref="Reduction.None"/>.
                /// </summary>
                public static Tensor cross_entropy(Tensor input, Tensor target, Tensor? weight = null, long ignore_index = -100,
                    Reduction reduction = Reduction.Mean, double label_smoothing = 0.0) =>
                    new(NativeMethods.dt_nn_cross_entropy(input.Handle, target.Handle, weight?.Handle ?? TensorHandle.Null,
                        (int)reduction, ignore_index, label_smoothing));
            }
        }
    }
}
