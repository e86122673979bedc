using System.Text;
using DistTrain.Distributed.Tests.Harness;
using DistTrain.Torch.Distributed;

namespace DistTrain.Distributed.Tests.Store;

/// <summary>The coordinator's store as a c10d store: in process, and across real processes through the native bridge.</summary>
public sealed class CoordinatorStoreTests
{
    [Fact]
    public async Task Coordinator_store_follows_c10d_semantics()
    {
        await using var coordinator = await TestCoordinator.StartAsync(1);
        var store = new CoordinatorStore(coordinator.Client, coordinator.StoreNamespace);

        store.Set("k", "v");
        Assert.Equal("v", store.GetString("k"));
        Assert.Equal(2, store.Add("n", 2));
        Assert.Equal("expected", Encoding.UTF8.GetString(store.CompareSet("missing", "expected"u8, "x"u8))); // c10d answers `expected`
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

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Ranks_in_separate_processes_drive_the_coordinator_store_through_c10d(int ranks)
    {
        var result = (await WorkerGroup.RunAsync("store-bridge", ranks)).AssertAllPassed();
        Assert.All(result.Ranks, r =>
        {
            Assert.Contains("ok: get waited for set", r.Lines);
            Assert.Contains("ok: add and wait", r.Lines);
            Assert.Contains("ok: compare_set, check, delete_key, num_keys", r.Lines);
            Assert.Contains(r.Lines, l => l.StartsWith("ok: wait timeout: ", StringComparison.Ordinal) && l.Contains($"never-{r.Rank}", StringComparison.Ordinal));
        });
    }
}
