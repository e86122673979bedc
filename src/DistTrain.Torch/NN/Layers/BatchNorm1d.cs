using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Modules
{
    /// <summary>Batch normalisation of (N, C) or (N, C, L) input over the channels C; see <see cref="BatchNorm"/>.</summary>
    public sealed class BatchNorm1d : BatchNorm
    {
        internal BatchNorm1d(long num_features, double eps, double? momentum, bool affine, bool track_running_stats, Device? device, ScalarType? dtype)
            : base(nameof(BatchNorm1d), num_features, eps, momentum, affine, track_running_stats, device, dtype) { }

        private protected override void CheckInputDim(long dim)
        {
            if (!(dim is 2 or 3)) throw new ArgumentException($"expected 2D or 3D input (got {dim}D input)");
        }
    }
}

namespace DistTrain.Torch
{
    public static partial class torch
    {
        public static partial class nn
        {
            /// <summary>Batch normalisation of (N, C) or (N, C, L) input with <paramref name="num_features"/> channels.</summary>
            public static Modules.BatchNorm1d BatchNorm1d(long num_features, double eps = 1e-5, double? momentum = 0.1, bool affine = true,
                bool track_running_stats = true, Device? device = null, ScalarType? dtype = null) =>
                new(num_features, eps, momentum, affine, track_running_stats, device, dtype);
        }
    }
}
