using DistTrain.Protocol;
using Grpc.Core;

namespace DistTrain.Distributed;

/// <summary>
/// The coordinator's key-value store, one rendezvous round's namespace, as a <see cref="Store"/>: process
/// groups bootstrap through it. Each call is one synchronous RPC; blocking gets and waits wait on the
/// coordinator (no polling). Safe to call from any thread, including while the thread that creates
/// the process group is blocked in native code: nothing here captures a synchronization context.
/// </summary>
public sealed class CoordinatorStore : Store
{
    private readonly CoordinatorStoreClient _client;

    /// <summary>A store over <paramref name="client"/>'s namespace <paramref name="storeNamespace"/> (a world's <c>store_namespace</c>).</summary>
    public CoordinatorStore(CoordinatorClient client, string storeNamespace)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(storeNamespace);
        _client = client.Store(storeNamespace);
    }

    /// <summary>The namespace every call names.</summary>
    public string Namespace => _client.Namespace;

    /// <inheritdoc />
    public override void Set(string key, ReadOnlySpan<byte> value)
    {
        var copy = value.ToArray();
        Call("set", [key], null, () => _client.SetAsync(key, copy));
    }

    /// <inheritdoc />
    public override byte[] Get(string key, TimeSpan timeout) => Call("get", [key], timeout, () => _client.GetAsync(key, timeout));

    /// <inheritdoc />
    public override long Add(string key, long delta) => Call("add", [key], null, () => _client.AddAsync(key, delta));

    /// <inheritdoc />
    public override byte[] CompareSet(string key, ReadOnlySpan<byte> expected, ReadOnlySpan<byte> desired)
    {
        var e = expected.ToArray();
        var d = desired.ToArray();
        var response = Call("compare_set", [key], null, () => _client.CompareSetAsync(key, e, d));
        // PyTorch's stores answer `expected` when the key is missing.
        return response.Exists ? response.Value.ToByteArray() : e;
    }

    /// <inheritdoc />
    public override bool DeleteKey(string key) => Call("delete_key", [key], null, () => _client.DeleteAsync(key));

    /// <inheritdoc />
    public override bool Check(IReadOnlyList<string> keys) => Call("check", keys, null, () => _client.CheckAsync(keys));

    /// <inheritdoc />
    public override void Wait(IReadOnlyList<string> keys, TimeSpan timeout) =>
        Call("wait", keys, timeout, async () => { await _client.WaitAsync(keys, timeout).ConfigureAwait(false); return true; });

    /// <inheritdoc />
    public override long NumKeys() => Call("num_keys", [], null, () => _client.NumKeysAsync());

    private void Call(string operation, IReadOnlyList<string> keys, TimeSpan? timeout, Func<Task> call) =>
        Call(operation, keys, timeout, async () => { await call().ConfigureAwait(false); return true; });

    private T Call<T>(string operation, IReadOnlyList<string> keys, TimeSpan? timeout, Func<Task<T>> call)
    {
        try
        {
            // Task.Run: the RPC never continues on a synchronization context the caller may be blocking.
            return Task.Run(call).GetAwaiter().GetResult();
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.DeadlineExceeded && timeout is { } t)
        {
            throw new StoreTimeoutException(keys, t, e);
        }
        catch (RpcException e)
        {
            var names = keys.Count == 0 ? "" : $" of {string.Join(", ", keys.Select(k => $"'{k}'"))}";
            throw new StoreException(
                $"The coordinator's store {operation}{names} in namespace '{Namespace}' failed: {e.StatusCode}: {e.Status.Detail}" + Hint(e.StatusCode), e);
        }
    }

    private static string Hint(StatusCode status) => status switch
    {
        StatusCode.NotFound or StatusCode.Aborted => " (the rendezvous round this worker was started for is over: the agent restarts the workers)",
        StatusCode.Unavailable => " (the coordinator cannot be reached)",
        StatusCode.Unauthenticated => " (DISTTRAIN_JOB_TOKEN is not the job's token)",
        _ => "",
    };
}
