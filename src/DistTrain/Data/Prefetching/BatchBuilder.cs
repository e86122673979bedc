using static TorchSharp.torch;

namespace DistTrain.Data;

/// <summary>Builds one batch: every sample's tensors from the user's function, then each field stacked along dimension 0.</summary>
internal static class BatchBuilder
{
    /// <summary>Batch <paramref name="index"/> of <paramref name="ids"/>; failures become <see cref="DataLoadException"/>s naming the sample.</summary>
    public static PrefetchedBatch Build(long index, long[] ids, Func<long, IReadOnlyList<Tensor>> sample)
    {
        using var scope = NewDisposeScope(); // per thread: the samples' tensors made here are disposed once stacked
        var samples = new IReadOnlyList<Tensor>[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            try
            {
                samples[i] = sample(ids[i]) ?? throw new InvalidOperationException("The sample function returned null.");
            }
            catch (Exception e)
            {
                throw new DataLoadException($"Reading sample {ids[i]} (batch {index}) failed: {e.Message}", index, ids[i], e);
            }
        }
        Tensor[] fields;
        try
        {
            var count = samples[0].Count;
            if (samples.FirstOrDefault(s => s.Count != count) is { } odd)
                throw new InvalidOperationException($"Sample {ids[0]} has {count} tensors, sample {ids[Array.IndexOf(samples, odd)]} has {odd.Count}.");
            fields = Enumerable.Range(0, count).Select(f => stack(samples.Select(s => s[f]).ToArray())).ToArray();
        }
        catch (Exception e)
        {
            throw new DataLoadException($"Collating batch {index} (samples {ids[0]} … {ids[^1]}) failed: {e.Message}", index, null, e);
        }
        foreach (var field in fields) field.MoveToOuterDisposeScope();
        return new PrefetchedBatch(index, ids, fields);
    }
}
