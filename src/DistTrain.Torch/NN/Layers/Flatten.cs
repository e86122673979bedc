using DistTrain.Torch.Native;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Modules
{
    /// <summary>
    /// Flattens dimensions start_dim..end_dim into one: (N, C, H, W) → (N, C·H·W) with the defaults
    /// (start_dim 1, end_dim −1). A view where possible.
    /// </summary>
    public sealed class Flatten : nn.Module<Tensor, Tensor>
    {
        internal Flatten(long start_dim, long end_dim) : base(nameof(Flatten))
        {
            this.start_dim = start_dim;
            this.end_dim = end_dim;
        }

        /// <summary>First dimension flattened.</summary>
        public long start_dim { get; }
        /// <summary>Last dimension flattened (negative counts from the end).</summary>
        public long end_dim { get; }

        /// <inheritdoc />
        public override Tensor forward(Tensor input) => nn.functional.flatten(input, start_dim, end_dim);
    }
}

namespace DistTrain.Torch
{
    public static partial class torch
    {
        public static partial class nn
        {
            /// <summary>Flattens dimensions <paramref name="start_dim"/>..<paramref name="end_dim"/> into one.</summary>
            public static Modules.Flatten Flatten(long start_dim = 1, long end_dim = -1) => new(start_dim, end_dim);

            public static partial class functional
            {
                /// <summary>Flattens dimensions <paramref name="start_dim"/>..<paramref name="end_dim"/> of <paramref name="input"/> into one.</summary>
                public static Tensor flatten(Tensor input, long start_dim = 0, long end_dim = -1) =>
                    input.flatten(start_dim, end_dim);
            }
        }
    }
}
