namespace DistTrain.Distributed;

/// <summary>The base of every error raised by process groups and stores.</summary>
public class DistributedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A collective failed on this rank: a peer closed its connection (it crashed or was killed), or the backend reported an error.</summary>
public class CollectiveException(string message, string collective, int rank, int worldSize, TimeSpan waited)
    : DistributedException(message)
{
    /// <summary>The collective's name, as in PyTorch (<c>all_reduce</c>, <c>broadcast</c>…).</summary>
    public string Collective { get; } = collective;

    /// <summary>The rank that raised the error.</summary>
    public int Rank { get; } = rank;

    /// <summary>The size of the process group.</summary>
    public int WorldSize { get; } = worldSize;

    /// <summary>How long the collective ran before it failed.</summary>
    public TimeSpan Waited { get; } = waited;
}

/// <summary>A collective failed because a peer is gone: its process exited (crashed, killed) or it closed its connection or its process group.</summary>
public sealed class CollectivePeerLostException(string message, string collective, int rank, int worldSize, TimeSpan waited)
    : CollectiveException(message, collective, rank, worldSize, waited);

/// <summary>The ranks called different collectives, or passed different element counts, types, reduce ops or roots; every rank fails alike, naming a rank that differs.</summary>
public sealed class CollectiveMismatchException(string message, string collective, int rank, int worldSize, TimeSpan waited)
    : CollectiveException(message, collective, rank, worldSize, waited);

/// <summary>A collective did not complete within its timeout: some rank did not take part (it is stuck, slow, or skipped it).</summary>
public sealed class CollectiveTimeoutException(string message, string collective, int rank, int worldSize, TimeSpan waited, TimeSpan timeout)
    : CollectiveException(message, collective, rank, worldSize, waited)
{
    /// <summary>The timeout that passed.</summary>
    public TimeSpan Timeout { get; } = timeout;
}

/// <summary>A store call failed.</summary>
public class StoreException(string message, Exception? inner = null) : DistributedException(message, inner);

/// <summary>A store get or wait outlived its timeout; the message names the keys.</summary>
public sealed class StoreTimeoutException(IReadOnlyList<string> keys, TimeSpan timeout, Exception? inner = null)
    : StoreException($"Timed out after {timeout.TotalSeconds:0.###} s waiting for store key(s) {string.Join(", ", keys.Select(k => $"'{k}'"))}.", inner)
{
    /// <summary>The keys that were missing.</summary>
    public IReadOnlyList<string> Keys { get; } = keys;

    /// <summary>The timeout that passed.</summary>
    public TimeSpan Timeout { get; } = timeout;
}
