using DistTrain.Torch.Native;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Modules
{
    /// <summary>log(softmax(x)) along dimension dim, computed stably. Input and output have the same shape.</summary>
    public sealed class LogSoftmax : nn.Module<Tensor, Tensor>
    {
        internal LogSoftmax(long dim) : base(nameof(LogSoftmax))
        {
            this.dim = dim;
        }

        /// <summary>The dimension normalised over.</summary>
        public long dim { get; }

        /// <inheritdoc />
        public override Tensor forward(Tensor input) => nn.functional.log_softmax(input, dim);
    }
}

namespace DistTrain.Torch
{
    public static partial class torch
    {
        public static partial class nn
        {
            /// <summary>log(softmax(x)) along dimension dim, computed stably.</summary>
            public static Modules.LogSoftmax LogSoftmax(long dim) => new(dim);

            public static partial class functional
            {
                /// <summary>log(softmax(x)) along dimension dim, computed stably. Same shape as <paramref name="input"/>.</summary>
                public static Tensor log_softmax(Tensor input, long dim) => input.log_softmax(dim);
            }
        }
    }
}
