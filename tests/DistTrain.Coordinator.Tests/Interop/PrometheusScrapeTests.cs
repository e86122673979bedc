using DistTrain.Coordinator.Tests.Support;
using static DistTrain.Coordinator.Tests.Support.Reports;

namespace DistTrain.Coordinator.Tests.Interop;

/// <summary>A real Prometheus scrapes the coordinator's /metrics, and its query API gives the reported values back.</summary>
public sealed class PrometheusScrapeTests
{
    [Fact]
    public async Task Prometheus_scrapes_metrics_and_its_query_api_returns_the_reported_step_and_health()
    {
        await using var server = await TestServer.StartAsync();
        var telemetry = server.Client().Telemetry;
        await telemetry.ReportAsync(Report(0, 1, step: 1234, samples: 500, window: 1));
        await telemetry.ReportAsync(Report(1, 1, step: 1233, samples: 300, window: 1));
        var http = server.Server.HttpAddress!;
        using var prometheus = PrometheusServer.Start($"{http.Host}:{http.Port}");

        var step = await prometheus.QueryUntilFoundAsync("disttrain_rank_step{job=\"disttrain\",rank=\"0\",host=\"host-0\"}");
        var healthy = await prometheus.QueryUntilFoundAsync("disttrain_rank_health{rank=\"1\",health=\"healthy\"}");
        var throughput = await prometheus.QueryUntilFoundAsync("disttrain_samples_per_second");

        Assert.Equal((1234.0, 1.0, 800.0), (step, healthy, throughput));
    }
}
