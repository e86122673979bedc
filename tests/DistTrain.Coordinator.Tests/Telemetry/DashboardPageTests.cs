using DistTrain.Tests.Shared;

namespace DistTrain.Coordinator.Tests.Telemetry;

/// <summary>The dashboard page rendered by headless Chromium from sample telemetry: what a user sees of stragglers, stuck ranks and failures.</summary>
public sealed class DashboardPageTests
{
    private static readonly TimeSpan PageTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_page_highlights_the_straggler_and_the_stuck_rank_plots_the_history_and_shows_the_first_failure()
    {
        await using var host = await DashboardHost.StartAsync(new FixedTelemetryView(SampleTelemetry.Job()));
        await using var chromium = await HeadlessChromium.StartAsync();

        await chromium.NavigateAsync(host.Url("/"));
        Assert.True(await chromium.WaitForAsync("document.querySelectorAll('#ranks tbody tr').length === 3", PageTimeout),
            "The rank table never showed 3 ranks: " + await chromium.TextAsync("document.getElementById('connection').textContent"));
        await chromium.ScreenshotAsync(Path.Combine(HeadlessChromium.ScreenshotDirectory, "dashboard-sample-telemetry.png"));

        Assert.Equal("live", await chromium.TextAsync("document.getElementById('connection').dataset.state"));
        Assert.Equal("healthy,straggler,stuck", await chromium.TextAsync("[...document.querySelectorAll('#ranks tbody tr')].map(r => r.dataset.health).join()"));
        Assert.Equal("410,411,412", await chromium.TextAsync("[...document.querySelectorAll('#ranks tbody tr')].map(r => r.dataset.step).join()"));
        Assert.Equal("host-a", await chromium.TextAsync("document.querySelector('#ranks tr[data-rank=\"1\"] td:nth-child(2)').textContent"));

        // The alerts name both bad ranks with host, pid and the coordinator's reason.
        Assert.Equal("2", await chromium.TextAsync("document.getElementById('alerts').dataset.count"));
        var straggler = await chromium.TextAsync("document.querySelector('#alerts .straggler').textContent");
        Assert.Equal("rank 1 on host-a (pid 4001) is straggler: step 0.21 s, 2.6x the median 0.08 s for 5 reports", straggler);
        Assert.Contains("rank 2 on host-a (pid 4002) is stuck: collective 412 (all_reduce) has not advanced", await chromium.TextAsync("document.querySelector('#alerts .stuck').textContent"));

        // Every history point is drawn, loss and throughput; one stacked bar per rank with all five phases.
        Assert.Equal("40", await chromium.TextAsync("document.getElementById('loss-plot').dataset.points"));
        Assert.Equal("40", await chromium.TextAsync("document.getElementById('throughput-plot').dataset.points"));
        Assert.Equal("3", await chromium.TextAsync("document.getElementById('phase-bars').dataset.ranks"));
        Assert.Equal("5", await chromium.TextAsync("document.querySelectorAll('#phase-bars g[data-rank=\"1\"] rect').length"));

        // The first failure: who, where, when in training, and why.
        var failure = await chromium.TextAsync("document.getElementById('first-failure').textContent");
        Assert.Contains("rank 2 on host-a (pid 4002, round 2)", failure, StringComparison.Ordinal);
        Assert.Contains("after step 411; last collective all_reduce #412, waiting in it", failure, StringComparison.Ordinal);
        Assert.Contains("System.InvalidOperationException: the loss became NaN at step 411", failure, StringComparison.Ordinal);
        Assert.Contains("at Trainer.Step(Int64 step) in Trainer.cs:line 42", await chromium.TextAsync("document.querySelector('#first-failure pre').textContent"));
        Assert.Equal("1234.5", await chromium.TextAsync("document.getElementById('samples-per-second').textContent"));
    }
}
