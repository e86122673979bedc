using DistTrain.Coordinator.Tests.Support;
using static DistTrain.Coordinator.Tests.Support.Reports;

namespace DistTrain.Coordinator.Tests.Telemetry;

/// <summary>/metrics on the coordinator's HTTP/1.1 listener serves the reported ranks as Prometheus text.</summary>
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_serves_each_reported_ranks_series_over_http_1_1_and_drops_them_when_a_new_round_starts()
    {
        await using var server = await TestServer.StartAsync();
        var telemetry = server.Client().Telemetry;
        await telemetry.ReportAsync(Report(0, 1, step: 42, loss: 0.25, samples: 640, window: 2));
        await telemetry.ReportAsync(Report(1, 1, step: 41));
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });

        using var response = await http.GetAsync(new Uri(server.Server.HttpAddress!, "metrics"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(new Version(1, 1), response.Version);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.ToString());
        Assert.Contains("disttrain_rank_step{rank=\"0\",node=\"node-0\",host=\"host-0\"} 42", text);
        Assert.Contains("disttrain_rank_step{rank=\"1\",node=\"node-1\",host=\"host-1\"} 41", text);
        Assert.Contains("disttrain_rank_loss{rank=\"0\",node=\"node-0\",host=\"host-0\"} 0.25", text);
        Assert.Contains("disttrain_rank_samples_per_second{rank=\"0\",node=\"node-0\",host=\"host-0\"} 320", text);
        Assert.Contains("disttrain_rank_health{rank=\"1\",node=\"node-1\",host=\"host-1\",health=\"healthy\"} 1", text);
        Assert.Contains("disttrain_rank_phase_seconds{rank=\"0\",node=\"node-0\",host=\"host-0\",phase=\"step\"} 0.1", text);
        Assert.Contains("disttrain_samples_per_second 384", text);

        await telemetry.ReportAsync(Report(0, 1, step: 3, round: 2, worldSize: 1, pid: 4242));
        var next = await http.GetStringAsync(new Uri(server.Server.HttpAddress!, "metrics"));

        Assert.Contains("disttrain_rank_step{rank=\"0\",node=\"node-0\",host=\"host-0\"} 3", next);
        Assert.DoesNotContain("rank=\"1\"", next);
        Assert.Contains("disttrain_round 2", next);
    }

    [Fact]
    public async Task No_http_listener_when_the_http_port_is_off()
    {
        await using var server = await TestServer.StartAsync(configure: o => o.HttpPort = CoordinatorOptions.NoHttp);

        Assert.Null(server.Server.HttpAddress);
    }
}
