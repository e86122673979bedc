using DistTrain.Torch.Native;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Modules
{
    /// <summary>1 / (1 + exp(−x)), element-wise. Input and output have the same shape.</summary>
    public sealed class Sigmoid : nn.Module<Tensor, Tensor>
    {
        internal Sigmoid() : base(nameof(Sigmoid)) { }

        /// <inheritdoc />
        public override Tensor forward(Tensor input) => nn.functional.sigmoid(input);
    }
}

namespace DistTrain.Torch
{
    public static partial class torch
    {
        public static partial class nn
        {
            /// <summary>1 / (1 + exp(−x)), element-wise.</summary>
            public static Modules.Sigmoid Sigmoid() => new();

            public static partial class functional
            {
                /// <summary>1 / (1 + exp(−x)), element-wise. Same shape as <paramref name="input"/>.</summary>
                public static Tensor sigmoid(Tensor input) => input.sigmoid();
            }
        }
    }
}
