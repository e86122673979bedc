using System.Text;
using DistTrain.Torch;
using DistTrain.Torch.Distributed;

namespace DistTrain.Distributed.TestWorker.Scenarios;

/// <summary>
/// Every rank drives the context's store (the coordinator's) through c10d's own Store API in the
/// native layer — the calls Gloo makes — and checks c10d's semantics across processes.
/// </summary>
public sealed class StoreBridgeScenario : IScenario
{
    public string Name => "store-bridge";

    public int Run(string[] args)
    {
        using var context = Worker.Init();
        using var store = new NativeStore(context.Store.OpenNative());
        int n = context.WorldSize, r = context.Rank;

        if (r == 0)
        {
            Thread.Sleep(500); // the others are blocked in get by now
            store.Set("greeting", Encoding.UTF8.GetBytes("hello"));
        }

        Check.That(Encoding.UTF8.GetString(store.Get("greeting")) == "hello", "get blocks until another rank sets the key");
        Console.WriteLine("ok: get waited for set");

        store.Add("counter", r + 1);
        store.Set($"added-{r}", [1]);
        store.Wait(Enumerable.Range(0, n).Select(i => $"added-{i}").ToList());
        Check.That(store.Add("counter", 0) == n * (n + 1) / 2, "add sums every rank's delta");
        Console.WriteLine("ok: add and wait");

        var mine = $"cas-{r}";
        Check.That(Encoding.UTF8.GetString(store.CompareSet(mine, [], "first"u8)) == "first", "compare_set stores on a missing key with empty expected");
        Check.That(Encoding.UTF8.GetString(store.CompareSet(mine, "wrong"u8, "x"u8)) == "first", "compare_set returns the current value on a mismatch");
        Check.That(Encoding.UTF8.GetString(store.CompareSet(mine, "first"u8, "second"u8)) == "second", "compare_set swaps on a match");
        Check.That(store.Check([mine, "greeting"]), "check sees existing keys");
        Check.That(store.DeleteKey(mine) && !store.DeleteKey(mine), "delete_key says whether the key existed");
        Check.That(!store.Check([mine]), "check misses a deleted key");
        Check.That(store.NumKeys() >= n + 2, "num_keys counts the keys");
        Console.WriteLine("ok: compare_set, check, delete_key, num_keys");

        var e = Check.Throws<TorchException>(() => store.Wait([$"never-{r}"], TimeSpan.FromMilliseconds(500)), "wait for a key nobody sets");
        // The coordinator's answer names the key (c10d's TCPStore only says "Socket Timeout").
        if (context.Store is CoordinatorStore)
        {
            Check.That(e.Message.Contains($"never-{r}", StringComparison.Ordinal), $"the timeout names the key: {e.Message}");
        }

        Console.WriteLine($"ok: wait timeout: {e.Message}");
        context.ProcessGroup.barrier();
        return 0;
    }
}
