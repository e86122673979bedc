using DistTrain.Torch.Native;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Modules
{
    /// <summary>
    /// Binary cross entropy −w·[y·log x + (1 − y)·log(1 − x)] on probabilities x in [0, 1] (after a
    /// sigmoid). Input and target have the same shape; the optional weight broadcasts to it.
    /// </summary>
    public sealed class BCELoss : nn.Module<Tensor, Tensor, Tensor>
    {
        private readonly Tensor? _weight;

        internal BCELoss(Tensor? weight, nn.Reduction reduction) : base(nameof(BCELoss))
        {
            _weight = weight?.alias();
            register_buffer("weight", _weight);
            this.reduction = reduction;
        }

        /// <summary>The rescaling weight, or null.</summary>
        public Tensor? weight => _weight;
        /// <summary>How the per-element losses are reduced.</summary>
        public nn.Reduction reduction { get; }

        /// <inheritdoc />
        public override Tensor forward(Tensor input, Tensor target) => nn.functional.binary_cross_entropy(input, target, _weight, reduction);
    }
}

namespace DistTrain.Torch
{
    public static partial class torch
    {
        public static partial class nn
        {
            /// <summary>Binary cross entropy loss on probabilities (the module keeps its own handle to <paramref name="weight"/>).</summary>
            public static Modules.BCELoss BCELoss(Tensor? weight = null, Reduction reduction = Reduction.Mean) => new(weight, reduction);

            public static partial class functional
            {
                /// <summary>Binary cross entropy of probabilities <paramref name="input"/> against <paramref name="target"/> (same shape).</summary>
                public static Tensor binary_cross_entropy(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean) =>
                    new(NativeMethods.dt_nn_binary_cross_entropy(input.Handle, target.Handle, weight?.Handle ?? TensorHandle.Null, (int)reduction));
            }
        }
    }
}
