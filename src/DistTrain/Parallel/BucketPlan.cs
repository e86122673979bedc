namespace DistTrain.Parallel;

/// <summary>
/// How <see cref="DistributedDataParallel"/> groups gradients into buckets, each reduced with one
/// all-reduce. Parameters are taken in reverse registration order (roughly the order backward produces
/// their gradients), grouped by element type and device (a bucket is one flat tensor), and a bucket is
/// closed as soon as it holds at least its byte limit: the first bucket of each group uses
/// <c>firstBucketBytes</c> (small, so communication starts early in backward), the rest
/// <c>bucketBytes</c>. The plan depends only on the parameters' order, sizes and types, so every rank
/// computes the same plan and issues its collectives in the same order.
/// </summary>
public static class BucketPlan
{
    /// <summary>One gradient to place: its parameter's index, its size in bytes and its group (element type and device).</summary>
    /// <param name="Index">Position of the parameter in registration order.</param>
    /// <param name="Bytes">Size of the gradient in bytes.</param>
    /// <param name="Group">Tensors of equal groups may share a bucket (for example (dtype, device)); compared with Equals.</param>
    public readonly record struct Item(int Index, long Bytes, object Group);

    /// <summary>
    /// The buckets, in the order their all-reduces are issued; each lists parameter indices in the order
    /// they are laid out in the bucket's flat tensor.
    /// </summary>
    /// <param name="items">The gradients, in registration order.</param>
    /// <param name="firstBucketBytes">The byte limit of each group's first bucket (PyTorch: 1 MiB).</param>
    /// <param name="bucketBytes">The byte limit of the other buckets (PyTorch: 25 MiB).</param>
    /// <exception cref="ArgumentOutOfRangeException">A limit is not positive.</exception>
    public static IReadOnlyList<int[]> Compute(IReadOnlyList<Item> items, long firstBucketBytes, long bucketBytes)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (firstBucketBytes <= 0)
            throw new ArgumentOutOfRangeException(nameof(firstBucketBytes), firstBucketBytes, $"The first bucket's cap ({firstBucketBytes} bytes) must be positive.");
        if (bucketBytes <= 0)
            throw new ArgumentOutOfRangeException(nameof(bucketBytes), bucketBytes, $"The bucket cap ({bucketBytes} bytes) must be positive.");

        // Open buckets per group; a bucket's position is that of its first gradient in the reverse walk,
        // so the issue order follows the order in which gradients become ready.
        var open = new Dictionary<object, OpenBucket>();
        var closed = new List<(int Position, List<int> Indices)>();
        for (var position = 0; position < items.Count; position++)
        {
            var item = items[items.Count - 1 - position];
            if (!open.TryGetValue(item.Group, out var bucket))
            {
                bucket = new OpenBucket();
                open.Add(item.Group, bucket);
            }
            if (bucket.Indices.Count == 0) bucket.Position = position;
            bucket.Indices.Add(item.Index);
            bucket.Bytes += item.Bytes;
            if (bucket.Bytes >= (bucket.ClosedCount == 0 ? firstBucketBytes : bucketBytes))
            {
                closed.Add((bucket.Position, bucket.Indices));
                bucket.Indices = new List<int>();
                bucket.Bytes = 0;
                bucket.ClosedCount++;
            }
        }
        foreach (var bucket in open.Values)
            if (bucket.Indices.Count > 0) closed.Add((bucket.Position, bucket.Indices));
        closed.Sort((a, b) => a.Position.CompareTo(b.Position));
        return closed.Select(c => c.Indices.ToArray()).ToArray();
    }

    private sealed class OpenBucket
    {
        public List<int> Indices = new();
        public long Bytes;
        public int Position;
        public int ClosedCount;
    }
}
