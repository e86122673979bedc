namespace DistTrain.Launcher.Tests.Reliability;

/// <summary>
/// What one epoch trained, counted over the ids of its committed steps (per step the ids as trained last, so a step redone
/// after a resume counts once): how many ids, how many of the epoch's samples were never trained (lost), how many ids were
/// trained more than once (repeated).
/// </summary>
internal readonly record struct SampleCount(int Trained, int Lost, int Repeated)
{
    /// <summary>Counts <paramref name="ids"/> against an epoch of the samples 0 … <paramref name="samples"/> - 1.</summary>
    public static SampleCount Of(IEnumerable<long> ids, int samples)
    {
        var all = ids.ToList();
        var distinct = all.Where(id => id >= 0 && id < samples).ToHashSet();
        return new SampleCount(all.Count, samples - distinct.Count, all.Count - distinct.Count);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Trained} trained, {Lost} lost, {Repeated} repeated";
}
