using DistTrain.Tests.Shared;
using System.Text.RegularExpressions;
using DistTrain.Launcher.Tests.Support;

namespace DistTrain.Launcher.Tests.Telemetry;

/// <summary>
/// A standalone `disttrain coordinator` says where its HTTP/1.1 listener serves the metrics and the
/// dashboard, as `disttrain run` does when it hosts one, and both answer there.
/// </summary>
public sealed partial class CoordinatorUrlsTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Disttrain_coordinator_prints_the_metrics_and_dashboard_URLs_and_both_answer_there()
    {
        using var coordinator = LauncherProcess.Start(
            ["coordinator", "--port", $"{TestPorts.Free()}", "--http-port", "0", "--nnodes", "1"],
            new Dictionary<string, string?> { ["DISTTRAIN_TOKEN"] = "coordinator-urls" });
        await coordinator.WaitForAsync(() => UrlsLine().IsMatch(coordinator.Stdout), Generous, "the coordinator's line with the metrics and dashboard URLs");
        var urls = UrlsLine().Match(coordinator.Stdout);
        var (metrics, dashboard) = (new Uri(urls.Groups["metrics"].Value), new Uri(urls.Groups["dashboard"].Value));
        Assert.Equal(new Uri(dashboard, "metrics"), metrics); // one listener

        using var http = new HttpClient();
        using var scrape = await http.GetAsync(metrics);
        Assert.True(scrape.IsSuccessStatusCode, $"{metrics}: {(int)scrape.StatusCode}\n{coordinator.Output}");
        Assert.Equal("text/plain", scrape.Content.Headers.ContentType?.MediaType);

        using var page = await http.GetAsync(dashboard);
        Assert.True(page.IsSuccessStatusCode, $"{dashboard}: {(int)page.StatusCode}\n{coordinator.Output}");
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("id=\"loss-plot\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"Metrics \(Prometheus text\) on (?<metrics>http://\S+/metrics), dashboard on (?<dashboard>http://\S+/)$", RegexOptions.Multiline)]
    private static partial Regex UrlsLine();
}
