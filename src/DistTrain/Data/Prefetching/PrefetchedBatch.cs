using System.Collections.ObjectModel;
using static TorchSharp.torch;

namespace DistTrain.Data;

/// <summary>
/// One batch from a <see cref="PrefetchingLoader"/>: the collated tensors (field i stacks field i of every
/// sample along a new dimension 0), in the shape TorchSharp's DataLoader gives (<c>batch[0]</c>, <c>batch[1]</c>),
/// and the sample ids it holds, in order. The loader disposes it when the next batch is taken (or the
/// enumeration ends) unless it was created with <c>disposeBatches: false</c>.
/// </summary>
public sealed class PrefetchedBatch : ReadOnlyCollection<Tensor>, IDisposable
{
    internal PrefetchedBatch(long index, long[] ids, Tensor[] fields) : base(fields)
    {
        Index = index;
        Ids = ids;
    }

    /// <summary>The batch's position in its epoch's enumeration (0 first).</summary>
    public long Index { get; }

    /// <summary>The sample ids in this batch, in the order of the batch's rows.</summary>
    public IReadOnlyList<long> Ids { get; }

    /// <summary>Disposes the batch's tensors.</summary>
    public void Dispose()
    {
        foreach (var tensor in Items) tensor.Dispose();
    }
}
