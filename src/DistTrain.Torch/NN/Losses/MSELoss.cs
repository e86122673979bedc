using DistTrain.Torch.Native;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Modules
{
    /// <summary>Mean squared error (x − y)², reduced by <see cref="reduction"/>. Input and target have the same shape.</summary>
    public sealed class MSELoss : nn.Module<Tensor, Tensor, Tensor>
    {
        internal MSELoss(nn.Reduction reduction) : base(nameof(MSELoss)) => this.reduction = reduction;

        /// <summary>How the per-element losses are reduced.</summary>
        public nn.Reduction reduction { get; }

        /// <inheritdoc />
        public override Tensor forward(Tensor input, Tensor target) => nn.functional.mse_loss(input, target, reduction);
    }
}

namespace DistTrain.Torch
{
    public static partial class torch
    {
        public static partial class nn
        {
            /// <summary>Mean squared error loss.</summary>
            public static Modules.MSELoss MSELoss(Reduction reduction = Reduction.Mean) => new(reduction);

            public static partial class functional
            {
                /// <summary>(input − target)², reduced: a scalar, or the input's shape with <see cref="Reduction.None"/>.</summary>
                public static Tensor mse_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
                    new(NativeMethods.dt_nn_mse_loss(input.Handle, target.Handle, (int)reduction));
            }
        }
    }
}
