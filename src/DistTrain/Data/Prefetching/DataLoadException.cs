namespace DistTrain.Data;

/// <summary>
/// Building a batch on a <see cref="PrefetchingLoader"/>'s background thread failed: reading or augmenting
/// one sample (<see cref="SampleId"/>), or collating the samples. Thrown on the consumer's thread when it
/// reaches that batch, with the original exception inside.
/// </summary>
public sealed class DataLoadException : Exception
{
    /// <summary>A failure of batch <paramref name="batchIndex"/>, at sample <paramref name="sampleId"/> when one sample failed.</summary>
    public DataLoadException(string message, long batchIndex, long? sampleId, Exception inner) : base(message, inner)
    {
        BatchIndex = batchIndex;
        SampleId = sampleId;
    }

    /// <summary>The failed batch's position in the epoch's enumeration.</summary>
    public long BatchIndex { get; }

    /// <summary>The sample whose reading or augmentation failed; null when collating the batch failed.</summary>
    public long? SampleId { get; }
}
