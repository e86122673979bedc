using DistTrain.Torch.Native;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Modules
{
    /// <summary>exp(x) / Σ exp(x) along dimension dim. Input and output have the same shape.</summary>
    public sealed class Softmax : nn.Module<Tensor, Tensor>
    {
        internal Softmax(long dim) : base(nameof(Softmax))
        {
            this.dim = dim;
        }

        /// <summary>The dimension that sums to 1.</summary>
        public long dim { get; }

        /// <inheritdoc />
        public override Tensor forward(Tensor input) => nn.functional.softmax(input, dim);
    }
}

namespace DistTrain.Torch
{
    public static partial class torch
    {
        public static partial class nn
        {
            /// <summary>exp(x) / Σ exp(x) along dimension dim.</summary>
            public static Modules.Softmax Softmax(long dim) => new(dim);

            public static partial class functional
            {
                /// <summary>exp(x) / Σ exp(x) along dimension dim. Same shape as <paramref name="input"/>.</summary>
                public static Tensor softmax(Tensor input, long dim) => input.softmax(dim);
            }
        }
    }
}
