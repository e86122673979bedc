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
            var m = await SustainedLoad.RunAsync(server, ranks,
                (rank, n) => client.Telemetry.ReportAsync(Report(rank, ranks, (ulong)n + 1), TimeSpan.FromSeconds(5)), warmup, duration, interval);
            return new Result(m.Calls.Count, m.CallsPerSecond, m.Calls.PercentileMs(50), m.Calls.PercentileMs(99),
                m.ClientCpuMicrosecondsPerCall, m.ServerCpuMicrosecondsPerCall);
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
