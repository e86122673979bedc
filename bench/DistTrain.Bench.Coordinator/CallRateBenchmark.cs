using System.Diagnostics;
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

            var measuring = false;
            var stop = false;
            var perCaller = new LatencyStats[concurrency];
            var callers = Enumerable.Range(0, concurrency).Select(i => Task.Run(async () =>
            {
                var client = clients[i % channels];
                var store = client.Store(world.StoreNamespace);
                var stats = perCaller[i] = new LatencyStats();
                for (var n = 0; !Volatile.Read(ref stop); n++)
                {
                    var started = Stopwatch.GetTimestamp();
                    switch (n % 4)
                    {
                        case 0: await client.HeartbeatAsync("bench-node", world.Round); break;
                        case 1: await store.SetAsync($"rank-{i}", value); break;
                        case 2: await store.GetAsync("master", TimeSpan.Zero); break;
                        default: await store.AddAsync("counter", 1); break;
                    }

                    if (Volatile.Read(ref measuring))
                    {
                        stats.Add(Stopwatch.GetTimestamp() - started);
                    }
                }
            })).ToArray();

            await Task.Delay(warmup);
            var cpuBefore = Machine.CpuTime();
            var serverCpuBefore = server.CpuTime();
            Volatile.Write(ref measuring, true);
            var window = Stopwatch.StartNew();
            await Task.Delay(duration);
            Volatile.Write(ref measuring, false);
            window.Stop();
            var cpu = Machine.CpuTime() - cpuBefore;
            var serverCpu = server.CpuTime() - serverCpuBefore;
            Volatile.Write(ref stop, true);
            await Task.WhenAll(callers);

            var all = new LatencyStats();
            foreach (var stats in perCaller)
            {
                all.AddRange(stats);
            }

            return new Result(
                all.Count / window.Elapsed.TotalSeconds, all.PercentileMs(50), all.PercentileMs(99), all.Count,
                cpu.TotalMicroseconds / all.Count, serverCpu.TotalMicroseconds / all.Count);
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
