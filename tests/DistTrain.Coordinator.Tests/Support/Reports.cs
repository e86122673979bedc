using DistTrain.Protocol.V1;

namespace DistTrain.Coordinator.Tests.Support;

/// <summary>Telemetry reports as a rank sends them, with what a test varies as parameters.</summary>
internal static class Reports
{
    public static RankTelemetry Report(
        int rank, ulong sequence, long step = 10, long collective = 10, bool waiting = false, double stepSeconds = 0.1, double communicationWait = 0,
        int worldSize = 2, ulong round = 1, int pid = 0, double? loss = null, long samples = 64, double window = 1)
    {
        var report = new RankTelemetry
        {
            Identity = Identity(rank, worldSize, round, pid),
            ReportSequence = sequence,
            Step = step,
            StepsInWindow = 10,
            SamplesInWindow = samples,
            WindowSeconds = window,
            Phases = new StepPhases { Step = stepSeconds, CommunicationWait = communicationWait, Forward = stepSeconds / 4 },
            Collective = new CollectiveProgress { Sequence = collective, Name = "all_reduce", Waiting = waiting },
        };
        if (loss is { } l)
        {
            report.Loss = l;
            report.HasLoss = true;
        }

        return report;
    }

    public static RankIdentity Identity(int rank, int worldSize = 2, ulong round = 1, int pid = 0) => new()
    {
        Rank = rank,
        Round = round,
        WorldSize = worldSize,
        NodeId = $"node-{rank}",
        Host = $"host-{rank}",
        Pid = pid == 0 ? 1000 + rank : pid,
        LocalRank = 0,
    };

    public static RankFailure Failure(int rank, string message, ulong round = 1, int worldSize = 2) => new()
    {
        Identity = Identity(rank, worldSize, round),
        Step = 7,
        ExceptionType = "System.InvalidOperationException",
        Message = message,
        Collective = new CollectiveProgress { Sequence = 8, Name = "all_reduce", Waiting = true },
    };
}
