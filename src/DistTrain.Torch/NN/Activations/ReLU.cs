using DistTrain.Torch.Native;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Modules
{
    /// <summary>max(0, x), element-wise. Input and output have the same shape.</summary>
    public sealed class ReLU : nn.Module<Tensor, Tensor>
    {
        internal ReLU() : base(nameof(ReLU)) { }

        /// <inheritdoc />
        public override Tensor forward(Tensor input) => nn.functional.relu(input);
    }
}

namespace DistTrain.Torch
{
    public static partial class torch
    {
        public static partial class nn
        {
            /// <summary>max(0, x), element-wise.</summary>
            public static Modules.ReLU ReLU() => new();

            public static partial class functional
            {
                /// <summary>max(0, x), element-wise. Same shape as <paramref name="input"/>.</summary>
                public static Tensor relu(Tensor input) => input.relu();
            }
        }
    }
}
