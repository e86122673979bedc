using DistTrain.Coordinator.Telemetry;
using DistTrain.Protocol.V1;

namespace DistTrain.Coordinator.Tests.Telemetry;

/// <summary>A job's telemetry as the aggregator would give it: 3 ranks (healthy, straggler, stuck), 40 history points, one failure.</summary>
internal static class SampleTelemetry
{
    public const long StartUnixMs = 1_780_000_000_000;

    public static GetTelemetryResponse Job()
    {
        var snapshot = new GetTelemetryResponse { Round = 2, SamplesPerSecond = 1234.5 };
        snapshot.Ranks.Add(Rank(0, RankHealth.Healthy, "", stepSeconds: 0.08));
        snapshot.Ranks.Add(Rank(1, RankHealth.Straggler, "step 0.21 s, 2.6x the median 0.08 s for 5 reports", stepSeconds: 0.21));
        snapshot.Ranks.Add(Rank(2, RankHealth.Stuck, "collective 412 (all_reduce) has not advanced for 16 s while ranks 0, 1 wait in 413", stepSeconds: 0.08));
        for (var i = 0; i < 40; i++)
        {
            snapshot.History.Add(new TelemetryPoint
            {
                UnixMs = StartUnixMs + i * 1000L, Step = i * 10, Loss = 2.3 / (1 + i * 0.1), HasLoss = true, SamplesPerSecond = 1000 + i * 5,
            });
        }

        snapshot.Failures.Add(new RankFailure
        {
            Identity = Identity(2),
            UnixMs = StartUnixMs + 41_000,
            Step = 411,
            Collective = new CollectiveProgress { Sequence = 412, Name = "all_reduce", Waiting = true },
            ExceptionType = "System.InvalidOperationException",
            Message = "the loss became NaN at step 411",
            StackTrace = "   at Trainer.Step(Int64 step) in Trainer.cs:line 42\n   at Program.Main() in Program.cs:line 7",
        });
        return snapshot;
    }

    private static RankIdentity Identity(int rank) => new() { Rank = rank, Round = 2, NodeId = "node-a", Host = "host-a", Pid = 4000 + rank, LocalRank = rank, WorldSize = 3 };

    private static RankStatus Rank(int rank, RankHealth health, string reason, double stepSeconds) => new()
    {
        Health = health,
        HealthReason = reason,
        SamplesPerSecond = 400 + rank,
        ReceivedUnixMs = StartUnixMs + 40_000,
        Latest = new RankTelemetry
        {
            Identity = Identity(rank),
            ReportSequence = 40,
            SentUnixMs = StartUnixMs + 40_000,
            Step = 410 + rank,
            Epoch = 3,
            StepsInWindow = 12,
            SamplesInWindow = 384,
            WindowSeconds = 1,
            Phases = new StepPhases { DataWait = 0.005, Forward = 0.02, Backward = 0.03, Optimizer = 0.01, CommunicationWait = stepSeconds - 0.065, Step = stepSeconds },
            Loss = 0.5 + rank,
            HasLoss = true,
            RssBytes = 512L << 20,
            Collective = new CollectiveProgress { Sequence = 412 + (rank == 2 ? 0 : 1), Name = "all_reduce", Waiting = rank != 2 },
        },
    };
}

/// <summary>An <see cref="ITelemetryView"/> that always shows one snapshot (its newest <c>maxHistory</c> points), and remembers what was asked.</summary>
internal sealed class FixedTelemetryView(GetTelemetryResponse snapshot) : ITelemetryView
{
    public int? LastMaxHistory { get; private set; }

    public GetTelemetryResponse Snapshot(int maxHistory)
    {
        LastMaxHistory = maxHistory;
        var copy = snapshot.Clone();
        copy.History.Clear();
        copy.History.AddRange(snapshot.History.Skip(Math.Max(0, snapshot.History.Count - maxHistory)));
        return copy;
    }
}
