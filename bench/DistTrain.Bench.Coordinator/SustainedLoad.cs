using System.Diagnostics;

namespace DistTrain.Bench.Coordinator;

/// <summary>
/// Callers that call the coordinator in a loop (back to back, or each once an interval), warmed up and then
/// measured over a window: every call's latency and the CPU time both processes spent in the window.
/// </summary>
internal static class SustainedLoad
{
    /// <summary>The calls timed in the window, its length, and the CPU time this process and the server's spent in it.</summary>
    public sealed record Measurement(LatencyStats Calls, TimeSpan Window, TimeSpan ClientCpu, TimeSpan ServerCpu)
    {
        public double CallsPerSecond => Calls.Count / Window.TotalSeconds;
        public double ClientCpuMicrosecondsPerCall => ClientCpu.TotalMicroseconds / Calls.Count;
        public double ServerCpuMicrosecondsPerCall => ServerCpu.TotalMicroseconds / Calls.Count;
    }

    /// <summary>
    /// Runs <paramref name="callers"/> loops of <paramref name="call"/>(caller, n) for n = 0, 1, …, each paced by
    /// <paramref name="interval"/> (null: back to back); measures after <paramref name="warmup"/> for <paramref name="duration"/>.
    /// </summary>
    public static async Task<Measurement> RunAsync(ServerProcess server, int callers, Func<int, long, Task> call,
        TimeSpan warmup, TimeSpan duration, TimeSpan? interval = null)
    {
        var measuring = false;
        var stop = false;
        var perCaller = new LatencyStats[callers];
        var loops = Enumerable.Range(0, callers).Select(i => Task.Run(async () =>
        {
            var stats = perCaller[i] = new LatencyStats();
            using var timer = interval is { } every ? new PeriodicTimer(every) : null;
            for (long n = 0; !Volatile.Read(ref stop); n++)
            {
                if (timer is not null)
                    await timer.WaitForNextTickAsync();
                var started = Stopwatch.GetTimestamp();
                await call(i, n);
                if (Volatile.Read(ref measuring))
                    stats.Add(Stopwatch.GetTimestamp() - started);
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
        await Task.WhenAll(loops);

        var all = new LatencyStats();
        foreach (var stats in perCaller)
            all.AddRange(stats);
        return new Measurement(all, window.Elapsed, cpu, serverCpu);
    }
}
