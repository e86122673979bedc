using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DistTrain.Coordinator.Telemetry.Dashboard;
using DistTrain.Protocol.V1;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;

namespace DistTrain.Coordinator.Tests.Telemetry;

/// <summary>The dashboard's endpoints over real HTTP/1.1, on a coordinator's services with sample telemetry.</summary>
public sealed partial class DashboardEndpointTests
{
    [Fact]
    public async Task The_page_and_every_file_it_names_are_served_from_the_assembly_and_name_no_other_host()
    {
        await using var host = await DashboardHost.StartAsync(new FixedTelemetryView(SampleTelemetry.Job()));

        var page = await host.Client.GetAsync(host.Url("/"));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        var named = LinkedFile().Matches(html).Select(m => m.Groups["path"].Value).ToList();
        Assert.Equal(["dashboard.css", "dashboard.js"], named.Order());
        foreach (var file in named)
        {
            var response = await host.Client.GetAsync(host.Url("/" + file));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{file}: {response.StatusCode}");
            Assert.Equal(DashboardAssets.Find(file)!.Content.ToArray(), await response.Content.ReadAsByteArrayAsync());
        }

        // Offline: nothing is fetched from elsewhere (the only absolute URL is SVG's namespace name).
        foreach (var asset in DashboardAssets.Files)
        {
            var text = System.Text.Encoding.UTF8.GetString(asset.Content.Span).Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal);
            Assert.DoesNotMatch(@"https?://|//cdn|@import", text);
        }

        var redirect = await new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }).GetAsync(host.Url("/dashboard"));
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal("/", redirect.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Api_telemetry_is_the_views_snapshot_in_protobuf_json_with_the_history_asked()
    {
        var view = new FixedTelemetryView(SampleTelemetry.Job());
        await using var host = await DashboardHost.StartAsync(view);

        var json = await host.Client.GetStringAsync(host.Url("/api/telemetry?history=5"));

        Assert.Equal(5, view.LastMaxHistory);
        var parsed = JsonParser.Default.Parse<GetTelemetryResponse>(json);
        Assert.Equal(view.Snapshot(5), parsed);
        Assert.Equal(5, parsed.History.Count);
        Assert.Equal(SampleTelemetry.Job().History[^1], parsed.History[^1]);

        // The names and forms the page reads.
        var node = JsonNode.Parse(json)!;
        Assert.Equal("RANK_HEALTH_STRAGGLER", (string?)node["ranks"]![1]!["health"]);
        Assert.Equal("410", (string?)node["ranks"]![0]!["latest"]!["step"]);
        Assert.Equal("the loss became NaN at step 411", (string?)node["failures"]![0]!["message"]);

        await host.Client.GetStringAsync(host.Url("/api/telemetry"));
        Assert.Equal(DashboardEndpointRouteBuilderExtensions.DefaultHistory, view.LastMaxHistory);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("10001")]
    public async Task Api_telemetry_rejects_a_history_that_is_not_a_whole_number_in_range(string history)
    {
        await using var host = await DashboardHost.StartAsync(new FixedTelemetryView(SampleTelemetry.Job()));

        var response = await host.Client.GetAsync(host.Url("/api/telemetry?history=" + history));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            $"The query parameter 'history' ('{history}') must be a whole number from 0 to 10000: how many history points to return (default 600).",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Api_job_shows_the_round_its_nodes_and_whether_checkpoints_are_on()
    {
        await using var host = await DashboardHost.StartAsync(new FixedTelemetryView(SampleTelemetry.Job()));

        var job = JsonNode.Parse(await host.Client.GetStringAsync(host.Url("/api/job")))!;

        // No node joined this coordinator: round 1 is open, nobody is in it, and it has no checkpoint directory.
        Assert.Equal(1, (long)job["round"]!);
        Assert.Equal("open", (string?)job["roundState"]);
        Assert.Empty(job["nodes"]!.AsArray());
        Assert.False((bool)job["checkpointsEnabled"]!);
        Assert.Null(job["latestCheckpoint"]);
    }

    [Fact]
    public void Mapping_the_dashboard_without_the_coordinators_services_says_what_to_call()
    {
        var app = WebApplication.CreateSlimBuilder().Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapDashboard());

        Assert.Contains("ITelemetryView", error.Message, StringComparison.Ordinal);
        Assert.Contains("services.AddCoordinator()", error.Message, StringComparison.Ordinal);
    }

    [GeneratedRegex("""(?:src|href)="(?<path>[^"]+)"(?![^<]*rel="icon")""")]
    private static partial Regex LinkedFile();
}
