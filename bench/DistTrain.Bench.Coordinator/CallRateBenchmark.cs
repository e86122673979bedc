using System.Text;
using DistTrain.Protocol;

namespace DistTrain.Bench.Coordinator;

/// <summary>
/// Sustained load as a running job makes it: <paramref name="concurrency"/> callers in a loop, each
/// call in turn a heartbeat, a store set, a store get of an existing key and a store add.
/// The coordinator runs in its own process. Measured after a warm-up (long enough for the JIT to
/// finish tiering): calls per second, p50/p99 latency per call, and CPU time per call on each side.
/// </summary>
internal static class CallRateBenchmark
{
    public sealed record Result(double CallsPerSecond, double P50Ms, double P99Ms, int Calls, double ClientCpuMicrosecondsPerCall, double ServerCpuMicrosecondsPerCall);

    public static async Task<Result> RunAsync(int concurrency, TimeSpan duration, TimeSpan warmup, int channels)
    {
        using var server = await ServerProcess.StartAsync(1);
        var clients = Server.Clients(server.Address, channels);
        try
        {
            var world = await clients[0].JoinAsync("bench-node", concurrency);
            var value = Encoding.ASCII.GetBytes("10.0.0.1:29500");
            await clients[0].Store(world.StoreNamespace).SetAsync("master", value);

            var stores = clients.Select(c => c.Store(world.StoreNamespace)).ToArray();
            var m = await SustainedLoad.RunAsync(server, concurrency, (i, n) =>
            {
                var client = clients[i % channels];
                var store = stores[i % channels];
                return (n % 4) switch
                {
                    0 => client.HeartbeatAsync("bench-node", world.Round),
                    1 => store.SetAsync($"rank-{i}", value),
                    2 => store.GetAsync("master", TimeSpan.Zero),
                    _ => store.AddAsync("counter", 1),
                };
            }, warmup, duration);
            return new Result(
                m.CallsPerSecond, m.Calls.PercentileMs(50), m.Calls.PercentileMs(99), m.Calls.Count,
                m.ClientCpuMicrosecondsPerCall, m.ServerCpuMicrosecondsPerCall);
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }
}
