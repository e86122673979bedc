using System.Collections;

namespace DistTrain.Torch.Data;

/// <summary>
/// The order in which a <see cref="DataLoader"/> visits a dataset's samples, as <c>torch.utils.data.Sampler</c>:
/// each enumeration yields the sample indices of one epoch.
/// </summary>
public abstract class Sampler : IEnumerable<long>
{
    /// <summary>The number of indices one enumeration yields.</summary>
    public abstract long Count { get; }

    /// <summary>Yields one epoch's sample indices.</summary>
    public abstract IEnumerator<long> GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
