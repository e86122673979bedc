using DistTrain.Torch.Native;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Modules
{
    /// <summary>x for x ≥ 0, negative_slope × x otherwise, element-wise. Input and output have the same shape.</summary>
    public sealed class LeakyReLU : nn.Module<Tensor, Tensor>
    {
        internal LeakyReLU(double negative_slope) : base(nameof(LeakyReLU))
        {
            this.negative_slope = negative_slope;
        }

        /// <summary>The slope for negative inputs.</summary>
        public double negative_slope { get; }

        /// <inheritdoc />
        public override Tensor forward(Tensor input) => nn.functional.leaky_relu(input, negative_slope);
    }
}

namespace DistTrain.Torch
{
    public static partial class torch
    {
        public static partial class nn
        {
            /// <summary>x for x ≥ 0, negative_slope × x otherwise, element-wise.</summary>
            public static Modules.LeakyReLU LeakyReLU(double negative_slope = 0.01) => new(negative_slope);

            public static partial class functional
            {
                /// <summary>x for x ≥ 0, negative_slope × x otherwise, element-wise. Same shape as <paramref name="input"/>.</summary>
                public static Tensor leaky_relu(Tensor input, double negative_slope = 0.01) => new(NativeMethods.dt_nn_leaky_relu(input.Handle, negative_slope));
            }
        }
    }
}
