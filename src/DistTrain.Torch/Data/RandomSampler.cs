namespace DistTrain.Torch.Data;

/// <summary>
/// Visits every sample once per epoch in a new random order (<c>torch.utils.data.RandomSampler</c>), drawn
/// from a generator seeded once, so that a seeded run repeats its sequence of epochs.
/// </summary>
public sealed class RandomSampler : Sampler
{
    private readonly long count;
    private readonly Random random;

    /// <summary>A sampler over <paramref name="count"/> samples; <paramref name="seed"/> null draws a seed from the system.</summary>
    public RandomSampler(long count, int? seed = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        this.count = count;
        random = seed is { } s ? new Random(s) : new Random();
    }

    /// <inheritdoc />
    public override long Count => count;

    /// <inheritdoc />
    public override IEnumerator<long> GetEnumerator()
    {
        var order = new long[count];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        random.Shuffle(order);
        foreach (var index in order) yield return index;
    }
}
