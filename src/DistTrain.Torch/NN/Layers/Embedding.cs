using DistTrain.Torch.Native;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Modules
{
    /// <summary>
    /// A lookup table: indices (*) of int64 → rows of the weight, shape (*, embedding_dim). Weight
    /// (num_embeddings, embedding_dim) initialised N(0, 1); the padding_idx row (if any) is zero and
    /// receives no gradient.
    /// </summary>
    public sealed class Embedding : nn.Module<Tensor, Tensor>
    {
        private nn.Parameter _weight;

        internal Embedding(long num_embeddings, long embedding_dim, long? padding_idx, Device? device, ScalarType? dtype) : base(nameof(Embedding))
        {
            if (padding_idx is { } pad)
            {
                if (pad >= num_embeddings || pad < -num_embeddings)
                    throw new ArgumentOutOfRangeException(nameof(padding_idx), pad, $"padding_idx must be within num_embeddings ({num_embeddings}).");
                padding_idx = pad < 0 ? pad + num_embeddings : pad;
            }
            this.num_embeddings = num_embeddings;
            this.embedding_dim = embedding_dim;
            this.padding_idx = padding_idx;
            _weight = nn.Parameter.Empty([num_embeddings, embedding_dim], dtype, device);
            register_parameter("weight", _weight);
            reset_parameters();
        }

        /// <summary>Number of rows.</summary>
        public long num_embeddings { get; }
        /// <summary>Size of each row.</summary>
        public long embedding_dim { get; }
        /// <summary>The row that stays zero and gets no gradient, or null.</summary>
        public long? padding_idx { get; }

        /// <summary>The table, shape (num_embeddings, embedding_dim).</summary>
        public nn.Parameter weight { get => _weight; set { _weight = value; register_parameter("weight", value); } }

        /// <summary>Re-draws the table from N(0, 1) and zeroes the padding row.</summary>
        public void reset_parameters()
        {
            nn.init.normal_(_weight);
            if (padding_idx is { } pad) NativeError.Check(NativeMethods.dt_nn_init_fill_row_(_weight.Handle, pad, ((Scalar)0.0).Value));
        }

        /// <inheritdoc />
        public override Tensor forward(Tensor input) => new(NativeMethods.dt_nn_embedding(_weight.Handle, input.Handle, padding_idx ?? -1));
    }
}

namespace DistTrain.Torch
{
    public static partial class torch
    {
        public static partial class nn
        {
            /// <summary>A lookup table of <paramref name="num_embeddings"/> rows of size <paramref name="embedding_dim"/>.</summary>
            public static Modules.Embedding Embedding(long num_embeddings, long embedding_dim, long? padding_idx = null, Device? device = null, ScalarType? dtype = null) =>
                new(num_embeddings, embedding_dim, padding_idx, device, dtype);

            public static partial class functional
            {
                /// <summary>Rows of <paramref name="weight"/> (V, D) at int64 <paramref name="input"/> (*): shape (*, D).</summary>
                public static Tensor embedding(Tensor input, Tensor weight, long? padding_idx = null)
                {
                    var pad = padding_idx is { } p ? (p < 0 ? p + weight.size(0) : p) : -1;
                    return new(NativeMethods.dt_nn_embedding(weight.Handle, input.Handle, pad));
                }
            }
        }
    }
}
