using DistTrain.Torch.Data;

namespace DistTrain.Torch;

public static partial class torch
{
    /// <summary>Utilities, in PyTorch's shapes.</summary>
    public static partial class utils
    {
        /// <summary>Datasets and loaders: <c>torch.utils.data.DataLoader(dataset, 64, shuffle: true, seed: 1)</c>.</summary>
        public static class data
        {
            /// <summary>A dataset over tensors sharing their first dimension; see <see cref="Data.TensorDataset"/>.</summary>
            public static Data.TensorDataset TensorDataset(params Tensor[] tensors) => new(tensors);

            /// <summary>Mini-batches of <paramref name="dataset"/>; see <see cref="Data.DataLoader"/>.</summary>
            public static Data.DataLoader DataLoader(Dataset dataset, int batchSize, bool shuffle = false, int? seed = null, bool dropLast = false) =>
                new(dataset, batchSize, shuffle, seed, dropLast);
        }
    }
}
