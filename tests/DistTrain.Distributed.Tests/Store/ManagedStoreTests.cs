using DistTrain.Distributed.Tests.Harness;
using static TorchSharp.torch;

namespace DistTrain.Distributed.Tests.Store;

/// <summary>Any <see cref="DistTrain.Distributed.Store"/> implementation bootstraps a Gloo group; its failures reach the caller with their message.</summary>
public sealed class ManagedStoreTests
{
    [Fact]
    public async Task Two_ranks_in_one_process_bootstrap_a_gloo_group_through_a_managed_store()
    {
        var managed = new MemoryStore();
        var ranks = Enumerable.Range(0, 2).Select(rank => Task.Run(() =>
        {
            using var group = ProcessGroup.Gloo(managed, rank, 2, new GlooOptions { Hostname = "127.0.0.1", Timeout = TimeSpan.FromSeconds(60), StoreTimeout = TimeSpan.FromSeconds(60) });
            using var t = tensor(new[] { rank + 1f });
            group.all_reduce(t);
            return t.item<float>();
        })).ToArray();
        var sums = await Task.WhenAll(ranks).WaitAsync(TimeSpan.FromSeconds(90));
        Assert.All(sums, s => Assert.Equal(3f, s));
        Assert.True(managed.Calls > 0);
    }

    [Fact]
    public void A_store_timeout_while_connecting_fails_the_groups_creation_naming_the_store_and_the_key()
    {
        var e = Assert.Throws<DistributedException>(() =>
            ProcessGroup.Gloo(new MemoryStore(), 0, 2, new GlooOptions { Hostname = "127.0.0.1", StoreTimeout = TimeSpan.FromMilliseconds(300) }));
        Assert.StartsWith("Rank 0 of 2 could not create its Gloo process group", e.Message);
        Assert.Contains("StoreTimeoutException", e.Message);
        Assert.Contains("Timed out after 0.3 s waiting for store key(s) '", e.Message);
    }

    [Fact]
    public async Task Workers_find_an_in_process_coordinators_store_namespace()
    {
        await using var coordinator = await TestCoordinator.StartAsync(1);
        var store = new CoordinatorStore(coordinator.Client, coordinator.StoreNamespace);
        using var group = ProcessGroup.Gloo(store, 0, 1, new GlooOptions { Hostname = "127.0.0.1" });
        Assert.Equal((0, 1, "gloo"), (group.rank(), group.size(), group.BackendName));
        Assert.False(group.UsesLocalAllReduce);
        Assert.Equal("a group of one rank has nothing to sum", group.LocalAllReduceStatus);
        using var t = tensor(new[] { 2L, 3L });
        group.all_reduce(t, ReduceOp.PRODUCT);
        Assert.Equal([2L, 3L], t.data<long>().ToArray());
    }
}
