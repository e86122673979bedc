using DistTrain.Torch.Native;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Modules
{
    /// <summary>
    /// Sigmoid and binary cross entropy in one numerically stable op, on logits. Input and target have
    /// the same shape; weight broadcasts to it; pos_weight (per class, last dimension) weighs positives.
    /// </summary>
    public sealed class BCEWithLogitsLoss : nn.Module<Tensor, Tensor, Tensor>
    {
        private readonly Tensor? _weight, _pos_weight;

        internal BCEWithLogitsLoss(Tensor? weight, nn.Reduction reduction, Tensor? pos_weight) : base(nameof(BCEWithLogitsLoss))
        {
            _weight = weight?.alias();
            _pos_weight = pos_weight?.alias();
            register_buffer("weight", _weight);
            register_buffer("pos_weight", _pos_weight);
            this.reduction = reduction;
        }

        /// <summary>The rescaling weight, or null.</summary>
        public Tensor? weight => _weight;
        /// <summary>The weight of positive examples, or null.</summary>
        public Tensor? pos_weight => _pos_weight;
        /// <summary>How the per-element losses are reduced.</summary>
        public nn.Reduction reduction { get; }

        /// <inheritdoc />
        public override Tensor forward(Tensor input, Tensor target) =>
            nn.functional.binary_cross_entropy_with_logits(input, target, _weight, reduction, _pos_weight);
    }
}

namespace DistTrain.Torch
{
    public static partial class torch
    {
        public static partial class nn
        {
            /// <summary>Binary cross entropy loss on logits (the module keeps its own handles to the weights).</summary>
            public static Modules.BCEWithLogitsLoss BCEWithLogitsLoss(Tensor? weight = null, Reduction reduction = Reduction.Mean, Tensor? pos_weight = null) =>
                new(weight, reduction, pos_weight);

            public static partial class functional
            {
                /// <summary>Binary cross entropy of sigmoid(<paramref name="input"/>) against <paramref name="target"/> (same shape), computed stably.</summary>
                public static Tensor binary_cross_entropy_with_logits(Tensor input, Tensor target, Tensor? weight = null,
                    Reduction reduction = Reduction.Mean, Tensor? pos_weight = null) =>
                    new(NativeMethods.dt_nn_binary_cross_entropy_with_logits(input.Handle, target.Handle, weight?.Handle ?? TensorHandle.Null,
                        pos_weight?.Handle ?? TensorHandle.Null, (int)reduction));
            }
        }
    }
}
