using DistTrain.Torch.Native;

namespace DistTrain.Torch.Data;

/// <summary>
/// A collection of samples that can be gathered into batches, as <c>torch.utils.data.Dataset</c>.
/// Implementations gather a whole batch at once (one native call per tensor), not sample by sample.
/// </summary>
public abstract class Dataset : IDisposable
{
    /// <summary>The number of samples.</summary>
    public abstract long Count { get; }

    /// <summary>
    /// The samples at <paramref name="indices"/> (a 1-D int64 tensor), as one tensor per field whose
    /// first dimension is the batch. The caller owns (disposes) the returned tensors.
    /// </summary>
    public abstract torch.Tensor[] GetBatch(torch.Tensor indices);

    /// <summary>Releases the tensors the dataset holds.</summary>
    public virtual void Dispose() => GC.SuppressFinalize(this);
}

/// <summary>
/// A dataset over tensors that share their first dimension (for example images [N, 1, 28, 28] and
/// labels [N]); sample i is row i of each. The dataset owns the tensors given to it.
/// </summary>
public sealed class TensorDataset : Dataset
{
    private readonly torch.Tensor[] tensors;

    /// <summary>Wraps <paramref name="tensors"/>, which must all have the same size in dimension 0.</summary>
    /// <exception cref="ArgumentException">When no tensor is given, one is 0-dimensional, or their first dimensions differ.</exception>
    public TensorDataset(params torch.Tensor[] tensors)
    {
        if (tensors is null || tensors.Length == 0) throw new ArgumentException("A TensorDataset needs at least one tensor.", nameof(tensors));
        var count = -1L;
        for (var i = 0; i < tensors.Length; i++)
        {
            if (tensors[i].dim() == 0) throw new ArgumentException($"Tensor {i} is 0-dimensional; every tensor needs a first (sample) dimension.", nameof(tensors));
            var n = tensors[i].size(0);
            if (count >= 0 && n != count)
                throw new ArgumentException($"Size mismatch between tensors: tensor 0 has {count} samples but tensor {i} has {n}.", nameof(tensors));
            count = n;
        }
        this.tensors = tensors;
        Count = count;
    }

    /// <inheritdoc />
    public override long Count { get; }

    /// <summary>The tensors, in the order given.</summary>
    public IReadOnlyList<torch.Tensor> Tensors => tensors;

    /// <inheritdoc />
    public override torch.Tensor[] GetBatch(torch.Tensor indices)
    {
        var result = new torch.Tensor[tensors.Length];
        // index_select straight through the C ABI: one native call per field for the whole batch.
        for (var i = 0; i < tensors.Length; i++)
            result[i] = new torch.Tensor(NativeMethods.dt_index_select(tensors[i].Handle, 0, indices.Handle));
        return result;
    }

    /// <summary>Splits into the first <paramref name="count"/> samples and the rest, copying the data into two new datasets.</summary>
    public (TensorDataset Head, TensorDataset Tail) Split(long count)
    {
        if (count < 0 || count > Count)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"The split point must be between 0 and {Count}.");
        return (Slice(0, count), Slice(count, Count - count));
    }

    private TensorDataset Slice(long start, long length)
    {
        using var index = torch.arange(start, start + length);
        return new TensorDataset(GetBatch(index));
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        foreach (var t in tensors) t.Dispose();
        base.Dispose();
    }
}
