namespace DistTrain.Rpc.Client;

/// <summary>What every attempt of one logical call shares: the absolute deadline, the headers and the caller's token.</summary>
internal sealed record ClientCallSettings(
    DateTimeOffset? Deadline,
    IReadOnlyList<RpcMetadataEntry> Metadata,
    CancellationToken CancellationToken,
    bool Idempotent);
