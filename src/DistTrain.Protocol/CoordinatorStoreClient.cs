using DistTrain.Protocol.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace DistTrain.Protocol;

/// <summary>
/// The coordinator's key-value store in one namespace, with the semantics of c10d's Store. Blocking
/// calls wait on the coordinator, not by polling. Obtain one with <see cref="CoordinatorClient.Store"/>.
/// </summary>
public sealed class CoordinatorStoreClient
{
    private readonly Coordinator.CoordinatorClient _stub;

    internal CoordinatorStoreClient(CoordinatorClient client, string storeNamespace)
    {
        ArgumentException.ThrowIfNullOrEmpty(storeNamespace);
        _stub = client.Stub;
        Namespace = storeNamespace;
    }

    /// <summary>The namespace every call names.</summary>
    public string Namespace { get; }

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/>.</summary>
    public async Task SetAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        var request = new StoreSetRequest { Namespace = Namespace, Key = key, Value = ByteString.CopyFrom(value.Span) };
        await _stub.StoreSetAsync(request, CoordinatorClient.Options(null, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// Returns the value of <paramref name="key"/>, waiting until it exists, at most
    /// <paramref name="timeout"/> (null: the coordinator's default, 300 s); DEADLINE_EXCEEDED naming the key after it.
    /// </summary>
    public async Task<byte[]> GetAsync(string key, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var request = new StoreGetRequest { Namespace = Namespace, Key = key, Timeout = ToDuration(timeout) };
        var response = await _stub.StoreGetAsync(request, CoordinatorClient.Options(CoordinatorClient.BlockingDeadline(timeout), cancellationToken)).ConfigureAwait(false);
        return response.Value.ToByteArray();
    }

    /// <summary>Adds <paramref name="delta"/> to the integer value of <paramref name="key"/> (created at 0) and returns the new value.</summary>
    public async Task<long> AddAsync(string key, long delta, CancellationToken cancellationToken = default)
    {
        var request = new StoreAddRequest { Namespace = Namespace, Key = key, Delta = delta };
        var response = await _stub.StoreAddAsync(request, CoordinatorClient.Options(null, cancellationToken)).ConfigureAwait(false);
        return response.Value;
    }

    /// <summary>
    /// Sets <paramref name="key"/> to <paramref name="desired"/> if its value equals <paramref name="expected"/>
    /// (or it is missing and <paramref name="expected"/> is empty); the answer holds the value stored afterwards.
    /// </summary>
    public Task<StoreCompareSetResponse> CompareSetAsync(
        string key, ReadOnlyMemory<byte> expected, ReadOnlyMemory<byte> desired, CancellationToken cancellationToken = default)
    {
        var request = new StoreCompareSetRequest
        {
            Namespace = Namespace,
            Key = key,
            Expected = ByteString.CopyFrom(expected.Span),
            Desired = ByteString.CopyFrom(desired.Span),
        };
        return _stub.StoreCompareSetAsync(request, CoordinatorClient.Options(null, cancellationToken)).ResponseAsync;
    }

    /// <summary>Deletes <paramref name="key"/>; returns whether it existed.</summary>
    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var request = new StoreDeleteRequest { Namespace = Namespace, Key = key };
        var response = await _stub.StoreDeleteAsync(request, CoordinatorClient.Options(null, cancellationToken)).ConfigureAwait(false);
        return response.Existed;
    }

    /// <summary>Returns whether every one of <paramref name="keys"/> exists, without waiting.</summary>
    public async Task<bool> CheckAsync(IEnumerable<string> keys, CancellationToken cancellationToken = default)
    {
        var request = new StoreCheckRequest { Namespace = Namespace, Keys = { keys } };
        var response = await _stub.StoreCheckAsync(request, CoordinatorClient.Options(null, cancellationToken)).ConfigureAwait(false);
        return response.AllExist;
    }

    /// <summary>Waits until every one of <paramref name="keys"/> exists, at most <paramref name="timeout"/> (null: the coordinator's default).</summary>
    public async Task WaitAsync(IEnumerable<string> keys, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var request = new StoreWaitRequest { Namespace = Namespace, Keys = { keys }, Timeout = ToDuration(timeout) };
        await _stub.StoreWaitAsync(request, CoordinatorClient.Options(CoordinatorClient.BlockingDeadline(timeout), cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Counts the keys in the namespace.</summary>
    public async Task<long> NumKeysAsync(CancellationToken cancellationToken = default)
    {
        var request = new StoreNumKeysRequest { Namespace = Namespace };
        var response = await _stub.StoreNumKeysAsync(request, CoordinatorClient.Options(null, cancellationToken)).ConfigureAwait(false);
        return response.Count;
    }

    private static Duration? ToDuration(TimeSpan? timeout) => timeout is { } t ? Duration.FromTimeSpan(t) : null;
}
