using DistTrain.Launcher.Tests.Support;

namespace DistTrain.Launcher.Tests.Telemetry;

/// <summary>
/// OTLP export from a real 2-rank `disttrain run` of the test worker's telemetry-train scenario (DDP,
/// TrainingTelemetry) to an OTLP/HTTP receiver the test hosts: each worker sends its meter and its step
/// spans, told where only by OpenTelemetry's own variables.
/// </summary>
public sealed class OtlpExportTests
{
    private const int Steps = 40;
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(3);

    // The instruments WorkerInstruments creates on the meter DistTrain, and the phases it records.
    private static readonly string[] MetricNames =
    [
        "disttrain.step.duration", "disttrain.step.phase.duration", "disttrain.samples", "disttrain.loss",
        "disttrain.learning_rate", "disttrain.process.rss", "disttrain.collective.sequence",
    ];

    private static readonly string[] Phases = ["data_wait", "forward", "backward", "optimizer", "communication_wait"];

    [Fact]
    public async Task With_OTEL_EXPORTER_OTLP_ENDPOINT_set_both_ranks_export_the_DistTrain_meter_and_a_train_step_span_per_step_over_OTLP_HTTP()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        using var output = new TempDirectory();
        using var run = await LauncherProcess.RunAsync(
            ["run", "--standalone", "--nproc-per-node", "2",
             "--", CheckpointTrainRuns.TestWorker, "telemetry-train", output.Path, $"{Steps}", "20"],
            Generous,
            new Dictionary<string, string?>
            {
                ["OMP_NUM_THREADS"] = "1",
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint.ToString(),
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            });
        Assert.True(run.ExitCode == 0, run.Output);

        var requests = receiver.Requests;
        Assert.All(requests, r => Assert.Equal("application/x-protobuf", r.ContentType));
        foreach (var rank in new[] { 0, 1 })
        {
            // Each worker names itself in its resource: service.instance.id rank-R (and disttrain.rank R).
            var metrics = Strings(requests, "metrics", rank);
            Assert.True(metrics.Count > 0, $"No metrics export from rank {rank}; {Describe(requests)}\n{run.Output}");
            Assert.Contains("disttrain-worker", metrics);
            Assert.Contains("disttrain.rank", metrics);
            Assert.Contains("DistTrain", metrics); // the meter, as the instrumentation scope
            Assert.All(MetricNames, name => Assert.Contains(name, metrics));
            Assert.All(Phases, phase => Assert.Contains(phase, metrics));

            var traces = Strings(requests, "traces", rank);
            Assert.True(traces.Count > 0, $"No traces export from rank {rank}; {Describe(requests)}\n{run.Output}");
            Assert.Contains("DistTrain", traces); // the activity source
            Assert.Contains("disttrain.rank", traces);
            Assert.Contains("disttrain.step", traces);
            Assert.Equal(Steps, traces.Count(s => s == "train_step"));
        }
    }

    // The text fields of every export of the signal from the rank (its resource's service.instance.id).
    private static List<string> Strings(IEnumerable<OtlpRequest> requests, string signal, int rank) =>
        [.. requests.Where(r => r.Signal == signal).Select(r => r.Strings).Where(s => s.Contains($"rank-{rank}")).SelectMany(s => s)];

    private static string Describe(IReadOnlyList<OtlpRequest> requests) =>
        $"{requests.Count} export(s) received: " + string.Join("; ", requests.Select(r => $"{r.Signal} [{string.Join(", ", r.Strings.Distinct().Take(12))}]"));
}
