using System.Diagnostics;
using DistTrain.Protocol.V1;

namespace DistTrain.Bench.Coordinator;

/// <summary>
/// What telemetry reports cost once warm: <c>ranks</c> simulated ranks each send a worker's summary
/// (RankTelemetry as TrainingTelemetry fills it) every <c>interval</c> to a coordinator in its own process,
/// as workers do, with a timer wake-up per report rather than back to back. Measured after a warm-up long
/// enough for the JIT to finish tiering: CPU time per report on each side and the report's latency.
/// </summary>
internal static class TelemetryReportBenchmark
{
    public sealed record Result(int Reports, double ReportsPerSecond, double P50Ms, double P99Ms, double ClientCpuMicrosecondsPerReport, double ServerCpuMicrosecondsPerReport);

    public static async Task<Result> RunAsync(int ranks, TimeSpan interval, TimeSpan duration, TimeSpan warmup)
    {
        using var server = await ServerProcess.StartAsync(1);
        var client = Server.Clients(server.Address, 1)[0];
        try
        {
            var measuring = false;
            var stop = false;
            var perRank = new LatencyStats[ranks];
            var reporters = Enumerable.Range(0, ranks).Select(rank => Task.Run(async () =>
            {
                var stats = perRank[rank] = new LatencyStats();
                using var timer = new PeriodicTimer(interval);
                for (ulong sequence = 1; !Volatile.Read(ref stop); sequence++)
                {
                    await timer.WaitForNextTickAsync();
                    var started = Stopwatch.GetTimestamp();
                    await client.Telemetry.ReportAsync(Report(rank, ranks, sequence), TimeSpan.FromSeconds(5));
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
            await Task.WhenAll(reporters);

            var all = new LatencyStats();
            foreach (var stats in perRank)
                all.AddRange(stats);
            return new Result(all.Count, all.Count / window.Elapsed.TotalSeconds, all.PercentileMs(50), all.PercentileMs(99),
                cpu.TotalMicroseconds / all.Count, serverCpu.TotalMicroseconds / all.Count);
        }
        finally
        {
            client.Dispose();
        }
    }

    // A summary with every field a training worker sets, of its size.
    private static RankTelemetry Report(int rank, int ranks, ulong sequence) => new()
    {
        Identity = new RankIdentity { Rank = rank, Round = 1, NodeId = "bench-node", Host = Environment.MachineName, Pid = 10_000 + rank, LocalRank = rank, WorldSize = ranks },
        ReportSequence = sequence,
        SentUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        Step = (long)sequence * 250,
        Epoch = 1 + (long)sequence / 100,
        StepsInWindow = 250,
        SamplesInWindow = 250 * 32,
        WindowSeconds = 1.0,
        Phases = new StepPhases { DataWait = 0.0001, Forward = 0.0012, Backward = 0.0021, Optimizer = 0.0004, CommunicationWait = 0.0003, Step = 0.0041 },
        Loss = 0.42,
        HasLoss = true,
        LearningRate = 0.05,
        HasLearningRate = true,
        RssBytes = 400L << 20,
        Collective = new CollectiveProgress { Sequence = (long)sequence * 251, Name = "all_reduce" },
    };
}
