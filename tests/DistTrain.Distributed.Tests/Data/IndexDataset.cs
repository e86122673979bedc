using static TorchSharp.torch;

namespace DistTrain.Distributed.Tests.Data;

/// <summary>A dataset whose sample i is the scalar i under "index", so a test sees which ids a DataLoader loaded.</summary>
internal sealed class IndexDataset(long count) : utils.data.Dataset
{
    public override long Count => count;

    public override Dictionary<string, Tensor> GetTensor(long index) => new() { ["index"] = tensor(index) };

    /// <summary>Every index <paramref name="loader"/> yields (from the "index" column), in order, and the size of each batch.</summary>
    public static (long[] Loaded, List<int> Batches) Load(TorchSharp.Modules.DataLoader loader)
    {
        var loaded = new List<long>();
        var batches = new List<int>();
        foreach (var batch in loader)
        {
            var indices = batch["index"].data<long>().ToArray();
            loaded.AddRange(indices);
            batches.Add(indices.Length);
        }
        return (loaded.ToArray(), batches);
    }
}
