using DistTrain.Torch.Native;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Modules
{
    /// <summary>Mean absolute error |x − y|, reduced by <see cref="reduction"/>. Input and target have the same shape.</summary>
    public sealed class L1Loss : nn.Module<Tensor, Tensor, Tensor>
    {
        internal L1Loss(nn.Reduction reduction) : base(nameof(L1Loss)) => this.reduction = reduction;

        /// <summary>How the per-element losses are reduced.</summary>
        public nn.Reduction reduction { get; }

        /// <inheritdoc />
        public override Tensor forward(Tensor input, Tensor target) => nn.functional.l1_loss(input, target, reduction);
    }
}

namespace DistTrain.Torch
{
    public static partial class torch
    {
        public static partial class nn
        {
            /// <summary>Mean absolute error (L1) loss.</summary>
            public static Modules.L1Loss L1Loss(Reduction reduction = Reduction.Mean) => new(reduction);

            public static partial class functional
            {
                /// <summary>|input − target|, reduced: a scalar, or the input's shape with <see cref="Reduction.None"/>.</summary>
                public static Tensor l1_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
                    new(NativeMethods.dt_nn_l1_loss(input.Handle, target.Handle, (int)reduction));
            }
        }
    }
}
