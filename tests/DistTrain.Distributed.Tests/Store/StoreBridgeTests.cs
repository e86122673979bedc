using System.Runtime.CompilerServices;
using System.Text;
using DistTrain.Torch;
using DistTrain.Torch.Distributed;
using static DistTrain.Torch.torch;

namespace DistTrain.Distributed.Tests.Store;

/// <summary>A managed store driven through c10d's own Store API in the native layer (the calls Gloo makes).</summary>
public sealed class StoreBridgeTests
{
    [Fact]
    public void Set_get_add_compare_set_delete_check_num_keys_reach_the_managed_store_through_c10d()
    {
        var managed = new MemoryStore();
        using var store = new NativeStore(managed.OpenNative());

        store.Set("a", "one"u8);
        Assert.Equal("one", Encoding.UTF8.GetString(store.Get("a")));
        Assert.Equal(5, store.Add("n", 5));
        Assert.Equal(7, store.Add("n", 2));
        Assert.Equal("first", Encoding.UTF8.GetString(store.CompareSet("c", [], "first"u8)));
        Assert.Equal("first", Encoding.UTF8.GetString(store.CompareSet("c", "other"u8, "x"u8)));
        Assert.Equal("second", Encoding.UTF8.GetString(store.CompareSet("c", "first"u8, "second"u8)));
        Assert.True(store.Check(["a", "n", "c"]));
        Assert.True(store.DeleteKey("c"));
        Assert.False(store.DeleteKey("c"));
        Assert.False(store.Check(["a", "c"]));
        Assert.Equal(2, store.NumKeys());
        Assert.True(managed.Calls >= 12, $"the managed store saw {managed.Calls} calls");
    }

    [Fact]
    public async Task A_blocking_get_through_c10d_wakes_when_another_thread_sets_the_key()
    {
        var managed = new MemoryStore();
        using var store = new NativeStore(managed.OpenNative());
        var setter = Task.Run(async () =>
        {
            await Task.Delay(300);
            managed.Set("late", "here"u8);
        });
        Assert.Equal("here", Encoding.UTF8.GetString(store.Get("late")));
        await setter;
    }

    [Fact]
    public void A_managed_failure_reaches_the_caller_through_c10d_with_its_message()
    {
        using var store = new NativeStore(new MemoryStore().OpenNative());
        var e = Assert.Throws<TorchException>(() => store.Wait(["missing-key"], TimeSpan.FromMilliseconds(200)));
        Assert.Contains("StoreTimeoutException", e.Message);
        Assert.Contains("'missing-key'", e.Message);
        Assert.Contains("store wait", e.Message);
    }

    [Fact]
    public void The_managed_store_is_released_when_the_native_side_lets_go()
    {
        var weak = OpenAndRelease();
        for (var i = 0; i < 5 && weak.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.False(weak.IsAlive);
    }

    [Fact]
    public async Task Two_gloo_ranks_in_one_process_bootstrap_through_a_managed_store_called_from_gloos_threads()
    {
        var managed = new MemoryStore();
        var ranks = Enumerable.Range(0, 2).Select(rank => Task.Run(() =>
        {
            using var group = ProcessGroup.Gloo(managed, rank, 2, new GlooOptions { Hostname = "127.0.0.1", Timeout = TimeSpan.FromSeconds(60) });
            using var t = tensor(new[] { rank + 1f });
            group.all_reduce(t);
            return t.ToArray<float>()[0];
        })).ToArray();
        var sums = await Task.WhenAll(ranks).WaitAsync(TimeSpan.FromSeconds(90));
        Assert.All(sums, s => Assert.Equal(3f, s));
        Assert.True(managed.Calls > 0);
    }

    [Fact]
    public void A_tcpstore_server_and_client_share_keys()
    {
        using var server = new TCPStore("127.0.0.1", 0, worldSize: 2, isServer: true, timeout: TimeSpan.FromSeconds(30));
        using var client = new TCPStore("127.0.0.1", server.Port, worldSize: 2, timeout: TimeSpan.FromSeconds(30));
        client.Set("k", "v");
        Assert.Equal("v", server.GetString("k"));
        Assert.Equal(3, server.Add("n", 3));
        Assert.Equal(4, client.Add("n", 1));
        Assert.True(server.Check(["k", "n"]));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference OpenAndRelease()
    {
        var managed = new MemoryStore();
        using (var store = new NativeStore(managed.OpenNative()))
        {
            store.Set("x", "1"u8);
        }

        return new WeakReference(managed);
    }
}
