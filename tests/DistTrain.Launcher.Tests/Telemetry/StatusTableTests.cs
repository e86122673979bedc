using DistTrain.Coordinator;
using DistTrain.Launcher.Tests.Support;
using DistTrain.Protocol;
using DistTrain.Protocol.V1;

namespace DistTrain.Launcher.Tests.Telemetry;

/// <summary>`disttrain status` (a real process) prints the job's live table from the coordinator's telemetry.</summary>
public sealed class StatusTableTests
{
    private const string Token = "status-table-token";

    [Fact]
    public async Task Status_prints_each_ranks_host_pid_step_samples_per_second_step_time_health_and_the_failures()
    {
        await using var server = await CoordinatorServer.StartAsync(o =>
        {
            o.Port = 0;
            o.Token = Token;
        });
        using var client = new CoordinatorClient(server.Address.ToString(), Token);
        await client.Telemetry.ReportAsync(Report(0, "box-a", 4100, step: 250, samples: 3200, stepSeconds: 0.02));
        await client.Telemetry.ReportAsync(Report(1, "box-b", 4200, step: 249, samples: 1600, stepSeconds: 0.04));
        await client.Telemetry.ReportFailureAsync(new RankFailure
        {
            Identity = Report(1, "box-b", 4200, 0, 0, 0).Identity,
            Step = 249,
            ExceptionType = "System.OutOfMemoryException",
            Message = "the batch did not fit",
        });

        using var run = await LauncherProcess.RunAsync(
            ["status", "--rdzv-endpoint", $"127.0.0.1:{server.Address.Port}"], TimeSpan.FromSeconds(60), new Dictionary<string, string?> { ["DISTTRAIN_TOKEN"] = Token });

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Telemetry of round 1: 3200 samples/s in all.", run.Stdout);
        var lines = run.Stdout.Split('\n');
        Assert.Matches(@"^  rank +host +pid +step +samples/s +step s +health", Assert.Single(lines, l => l.Contains("samples/s  ", StringComparison.Ordinal)));
        Assert.Matches(@"^  0 +box-a +4100 +250 +3200 +0\.020 +healthy\s*$", Assert.Single(lines, l => l.Contains("box-a", StringComparison.Ordinal)));
        Assert.Matches(@"^  1 +box-b +4200 +249 +1600 +0\.040 +failed: System\.OutOfMemoryException: the batch did not fit", Assert.Single(lines, l => l.Contains("box-b  ", StringComparison.Ordinal)));
        Assert.Contains("  failure: rank 1 (box-b, pid 4200) at step 249: System.OutOfMemoryException: the batch did not fit", run.Stdout);
    }

    private static RankTelemetry Report(int rank, string host, int pid, long step, long samples, double stepSeconds) => new()
    {
        Identity = new RankIdentity { Rank = rank, Round = 1, WorldSize = 2, Host = host, Pid = pid, NodeId = host },
        ReportSequence = 1,
        Step = step,
        StepsInWindow = 50,
        SamplesInWindow = samples,
        WindowSeconds = 1,
        Phases = new StepPhases { Step = stepSeconds },
    };
}
