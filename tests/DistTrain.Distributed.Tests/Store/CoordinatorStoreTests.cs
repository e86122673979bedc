using System.Text;
using DistTrain.Distributed.Tests.Harness;

namespace DistTrain.Distributed.Tests.Store;

/// <summary>The coordinator's store as a PyTorch-style store (the multi-process tests bootstrap every group through it).</summary>
public sealed class CoordinatorStoreTests
{
    [Fact]
    public async Task Coordinator_store_follows_pytorch_store_semantics()
    {
        await using var coordinator = await TestCoordinator.StartAsync(1);
        var store = new CoordinatorStore(coordinator.Client, coordinator.StoreNamespace);

        store.Set("k", "v");
        Assert.Equal("v", store.GetString("k"));
        Assert.Equal(2, store.Add("n", 2));
        Assert.Equal("expected", Encoding.UTF8.GetString(store.CompareSet("missing", "expected"u8, "x"u8))); // PyTorch's stores answer `expected`
        Assert.Equal("x", Encoding.UTF8.GetString(store.CompareSet("fresh", [], "x"u8)));
        Assert.True(store.Check(["k", "n", "fresh"]));
        Assert.True(store.DeleteKey("fresh"));
        Assert.Equal(2, store.NumKeys());
    }

    [Fact]
    public async Task A_get_that_outlives_its_timeout_raises_a_store_timeout_naming_the_key()
    {
        await using var coordinator = await TestCoordinator.StartAsync(1);
        var store = new CoordinatorStore(coordinator.Client, coordinator.StoreNamespace);
        var e = Assert.Throws<StoreTimeoutException>(() => store.Get("never", TimeSpan.FromMilliseconds(300)));
        Assert.Equal(["never"], e.Keys);
        Assert.Contains("'never'", e.Message);
    }

    [Fact]
    public async Task An_unknown_namespace_says_the_round_is_over()
    {
        await using var coordinator = await TestCoordinator.StartAsync(1);
        var store = new CoordinatorStore(coordinator.Client, "round-999");
        var e = Assert.Throws<StoreException>(() => store.Set("k", "v"));
        Assert.Contains("round-999", e.Message);
        Assert.Contains("round", e.Message);
    }
}
