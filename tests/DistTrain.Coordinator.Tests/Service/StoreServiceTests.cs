using System.Text;
using DistTrain.Coordinator.Tests.Support;
using DistTrain.Protocol;
using Grpc.Core;

namespace DistTrain.Coordinator.Tests.Service;

/// <summary>The store over gRPC; one coordinator for the class, each test with its own keys.</summary>
public sealed class StoreServiceTests(StoreServiceTests.Fixture fixture) : IClassFixture<StoreServiceTests.Fixture>
{
    private CoordinatorStoreClient Store => fixture.Store;

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task Set_then_get_returns_the_bytes()
    {
        await Store.SetAsync("set-get", Bytes("10.0.0.1:29500"));

        Assert.Equal("10.0.0.1:29500", Encoding.UTF8.GetString(await Store.GetAsync("set-get", TimeSpan.Zero)));
    }

    [Fact]
    public async Task Get_waits_for_a_key_another_client_sets()
    {
        var get = Store.GetAsync("late-key", TimeSpan.FromSeconds(10));
        await Task.Delay(50);
        Assert.False(get.IsCompleted);

        await fixture.Server.Client().Store(Store.Namespace).SetAsync("late-key", Bytes("v"));

        Assert.Equal("v", Encoding.UTF8.GetString(await get.WaitAsync(TimeSpan.FromSeconds(5))));
    }

    [Fact]
    public async Task Get_of_a_missing_key_is_deadline_exceeded_naming_the_key()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Store.GetAsync("never-set", TimeSpan.FromMilliseconds(50)));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Contains("'never-set'", error.Status.Detail);
    }

    [Fact]
    public async Task Add_counts_atomically_and_stores_decimal_text()
    {
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Store.AddAsync("add-counter", 2)));

        Assert.Equal(40, await Store.AddAsync("add-counter", 0));
        Assert.Equal("40", Encoding.ASCII.GetString(await Store.GetAsync("add-counter", TimeSpan.Zero)));
    }

    [Fact]
    public async Task Add_to_text_is_failed_precondition()
    {
        await Store.SetAsync("add-text", Bytes("abc"));

        var error = await Assert.ThrowsAsync<RpcException>(() => Store.AddAsync("add-text", 1));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
    }

    [Fact]
    public async Task CompareSet_swaps_only_on_a_match_and_returns_the_stored_value()
    {
        var created = await Store.CompareSetAsync("cas", Array.Empty<byte>(), Bytes("one"));
        var refused = await Store.CompareSetAsync("cas", Bytes("zero"), Bytes("two"));

        Assert.True(created.Swapped);
        Assert.False(refused.Swapped);
        Assert.Equal("one", refused.Value.ToStringUtf8());
    }

    [Fact]
    public async Task Delete_check_wait_and_num_keys_behave_as_c10d()
    {
        var store = fixture.Server.Client().Store(fixture.Namespace);
        var before = await store.NumKeysAsync();
        await store.SetAsync("dcw-a", Bytes("1"));
        var wait = store.WaitAsync(["dcw-a", "dcw-b"], TimeSpan.FromSeconds(10));
        Assert.False(await store.CheckAsync(["dcw-a", "dcw-b"]));

        await store.SetAsync("dcw-b", Bytes("2"));
        await wait.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(await store.CheckAsync(["dcw-a", "dcw-b"]));
        Assert.True(await store.DeleteAsync("dcw-a"));
        Assert.False(await store.DeleteAsync("dcw-a"));
        Assert.Equal(before + 1, await store.NumKeysAsync());
    }

    [Fact]
    public async Task Unknown_namespace_is_not_found()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Server.Client().Store("round-99").SetAsync("k", Bytes("v")));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("'round-99'", error.Status.Detail);
    }

    [Fact]
    public async Task Empty_key_is_invalid_argument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Store.SetAsync("", Bytes("v")));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    public sealed class Fixture : IAsyncLifetime
    {
        internal TestServer Server { get; private set; } = null!;

        public string Namespace { get; private set; } = "";

        public CoordinatorStoreClient Store { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Server = await TestServer.StartAsync();
            var client = Server.Client();
            Namespace = (await client.JoinAsync("fixture", 1)).StoreNamespace;
            Store = client.Store(Namespace);
        }

        public async Task DisposeAsync() => await Server.DisposeAsync();
    }
}
