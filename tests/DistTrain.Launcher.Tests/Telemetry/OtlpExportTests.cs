using DistTrain.Launcher.Tests.Support;

namespace DistTrain.Launcher.Tests.Telemetry;

/// <summary>
/// OTLP export from a real 2-rank `disttrain run` of the test worker's telemetry-train scenario (DDP,
/// TrainingTelemetry) to an OTLP/HTTP receiver the test hosts: each worker sends its meter and its step
/// spans, told where only by OpenTelemetry's own variables; a signal's own endpoint alone exports that
/// signal alone; without any they send nothing, not even to OTLP/HTTP's default endpoint.
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
        using var run = await RunTelemetryTrainAsync(endpoint: receiver.Endpoint);

        var requests = receiver.Requests;
        Assert.All(requests, r => Assert.Equal("application/x-protobuf", r.ContentType));
        foreach (var rank in new[] { 0, 1 })
        {
            // Each worker names itself in its resource: service.instance.id rank-R (and disttrain.rank R).
            // 40 steps 20 ms apart outlast the 500 ms interval: the worker exports while it trains, not only when it stops.
            Assert.True(Exports(requests, "metrics", rank).Count() >= 2, $"Fewer than 2 metrics exports from rank {rank}; {Describe(requests)}\n{run.Output}");
            var metrics = Strings(requests, "metrics", rank);
            Assert.Contains("disttrain-worker", metrics);
            Assert.Contains("disttrain.rank", metrics);
            Assert.Contains("rank", metrics); // each data point's attribute
            Assert.Contains("DistTrain", metrics); // the meter, as the instrumentation scope
            Assert.All(MetricNames, name => Assert.Contains(name, metrics));
            Assert.All(Phases, phase => Assert.Contains(phase, metrics));

            Assert.True(Exports(requests, "traces", rank).Any(), $"No traces export from rank {rank}; {Describe(requests)}\n{run.Output}");
            var traces = Strings(requests, "traces", rank);
            Assert.Contains("DistTrain", traces); // the activity source
            Assert.Contains("disttrain.rank", traces);
            Assert.Contains("disttrain.step", traces);
            Assert.Equal(Steps, traces.Count(s => s == "train_step"));
        }
    }

    [Fact]
    public async Task With_only_OTEL_EXPORTER_OTLP_METRICS_ENDPOINT_set_both_ranks_export_their_meter_there_and_no_spans()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        using var run = await RunTelemetryTrainAsync(endpoint: null, metricsEndpoint: new Uri(receiver.Endpoint, "v1/metrics"));

        var requests = receiver.Requests;
        foreach (var rank in new[] { 0, 1 })
        {
            Assert.True(Exports(requests, "metrics", rank).Any(), $"No metrics export from rank {rank}; {Describe(requests)}\n{run.Output}");
            Assert.Contains("disttrain.step.duration", Strings(requests, "metrics", rank));
        }

        Assert.DoesNotContain(requests, r => r.Signal == "traces");
    }

    [Fact]
    public async Task Without_OTEL_EXPORTER_OTLP_ENDPOINT_the_workers_send_nothing_to_OTLP_HTTP_s_default_endpoint()
    {
        // An exporter left on without an endpoint would send to http://localhost:4318; the receiver listens there.
        await using var receiver = await OtlpReceiver.StartOnDefaultPortAsync();
        using var run = await RunTelemetryTrainAsync(endpoint: null);

        // The workers have exited, so whatever they would have exported (at the latest when they stopped) has been sent.
        Assert.True(receiver.Requests.Count == 0, Describe(receiver.Requests));
    }

    // A 2-rank run of telemetry-train (Steps steps, 20 ms apart) to its end, which must be a success, with
    // OTLP/HTTP chosen, short export intervals, OTEL_EXPORTER_OTLP_ENDPOINT the endpoint and
    // OTEL_EXPORTER_OTLP_METRICS_ENDPOINT the metrics endpoint (null: unset).
    private static async Task<LauncherProcess> RunTelemetryTrainAsync(Uri? endpoint, Uri? metricsEndpoint = null)
    {
        using var output = new TempDirectory();
        var run = await LauncherProcess.RunAsync(
            ["run", "--standalone", "--nproc-per-node", "2",
             "--", CheckpointTrainRuns.TestWorker, "telemetry-train", output.Path, $"{Steps}", "20"],
            Generous,
            new Dictionary<string, string?>
            {
                ["OMP_NUM_THREADS"] = "1",
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint?.ToString(),
                ["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"] = metricsEndpoint?.ToString(),
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            });
        Assert.True(run.ExitCode == 0, run.Output);
        return run;
    }

    // The exports of the signal from the rank (its resource's service.instance.id).
    private static IEnumerable<OtlpRequest> Exports(IEnumerable<OtlpRequest> requests, string signal, int rank) =>
        requests.Where(r => r.Signal == signal && r.Strings.Contains($"rank-{rank}"));

    // The text fields of all those exports.
    private static List<string> Strings(IEnumerable<OtlpRequest> requests, string signal, int rank) =>
        [.. Exports(requests, signal, rank).SelectMany(r => r.Strings)];

    private static string Describe(IReadOnlyList<OtlpRequest> requests) =>
        $"{requests.Count} export(s) received: " + string.Join("; ", requests.Select(r => $"{r.Signal} [{string.Join(", ", r.Strings.Distinct().Take(12))}]"));
}
