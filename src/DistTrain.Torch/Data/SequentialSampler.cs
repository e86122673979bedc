namespace DistTrain.Torch.Data;

/// <summary>Visits samples 0, 1, … in order (<c>torch.utils.data.SequentialSampler</c>).</summary>
public sealed class SequentialSampler : Sampler
{
    private readonly long count;

    /// <summary>A sampler over <paramref name="count"/> samples.</summary>
    public SequentialSampler(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        this.count = count;
    }

    /// <inheritdoc />
    public override long Count => count;

    /// <inheritdoc />
    public override IEnumerator<long> GetEnumerator()
    {
        for (long i = 0; i < count; i++) yield return i;
    }
}
