using System.Collections;

namespace DistTrain.Data;

/// <summary>
/// The order in which a loader visits a dataset's samples, as <c>torch.utils.data.Sampler</c>: each
/// enumeration yields sample indices for one epoch.
/// </summary>
public abstract class Sampler : IEnumerable<long>
{
    /// <summary>The number of indices one enumeration yields.</summary>
    public abstract long Count { get; }

    /// <summary>Yields one epoch's sample indices.</summary>
    public abstract IEnumerator<long> GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
