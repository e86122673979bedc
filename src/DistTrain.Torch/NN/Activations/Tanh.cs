using DistTrain.Torch.Native;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Modules
{
    /// <summary>tanh(x), element-wise. Input and output have the same shape.</summary>
    public sealed class Tanh : nn.Module<Tensor, Tensor>
    {
        internal Tanh() : base(nameof(Tanh)) { }

        /// <inheritdoc />
        public override Tensor forward(Tensor input) => nn.functional.tanh(input);
    }
}

namespace DistTrain.Torch
{
    public static partial class torch
    {
        public static partial class nn
        {
            /// <summary>tanh(x), element-wise.</summary>
            public static Modules.Tanh Tanh() => new();

            public static partial class functional
            {
                /// <summary>tanh(x), element-wise. Same shape as <paramref name="input"/>.</summary>
                public static Tensor tanh(Tensor input) => input.tanh();
            }
        }
    }
}
