using System.Text.RegularExpressions;
using DistTrain.Launcher.Tests.Support;
using DistTrain.Tests.Shared;

namespace DistTrain.Launcher.Tests.Telemetry;

/// <summary>
/// The dashboard in headless Chromium during a real 2-rank `disttrain run` of the test worker's
/// telemetry-train scenario (DDP, TrainingTelemetry): the page the agent's coordinator serves fills its
/// plots and its rank table from the running workers; a screenshot is kept as a test artefact.
/// </summary>
public sealed partial class DashboardRunTests
{
    private const int SigTerm = 15;
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task The_dashboard_of_a_running_2_rank_job_plots_loss_and_throughput_and_shows_both_ranks_healthy_past_step_0()
    {
        using var output = new TempDirectory();
        using var run = LauncherProcess.Start(
            ["run", "--standalone", "--nproc-per-node", "2", "--grace-period", "5",
             "--", CheckpointTrainRuns.TestWorker, "telemetry-train", output.Path, "100000", "20"],
            new Dictionary<string, string?> { ["OMP_NUM_THREADS"] = "1" });
        var pids = new List<int>();
        try
        {
            await run.WaitForAsync(() => DashboardLine().IsMatch(run.Stderr), Generous, "the agent's line saying where the dashboard is");
            var dashboard = new Uri(DashboardLine().Match(run.Stderr).Groups[1].Value);
            var pidFiles = new[] { 0, 1 }.Select(r => Path.Combine(output.Path, $"pid-rank-{r}.txt")).ToArray();
            await run.WaitForAsync(() => pidFiles.All(f => File.Exists(f) && File.ReadAllText(f).Length > 0), Generous, "both ranks' pid files");
            pids.AddRange(pidFiles.Select(Probe.ReadPid));

            await using (var chromium = await HeadlessChromium.StartAsync())
            {
                await chromium.NavigateAsync(dashboard);
                // Plots need two points to draw a line: a few reports of both ranks.
                var filled = await chromium.WaitForAsync(
                    "document.querySelectorAll('#ranks tbody tr').length === 2" +
                    " && [...document.querySelectorAll('#ranks tbody tr')].every(r => Number(r.dataset.step) > 0)" +
                    " && Number(document.getElementById('loss-plot').dataset.points) >= 3" +
                    " && Number(document.getElementById('throughput-plot').dataset.points) >= 3", Generous);
                await chromium.ScreenshotAsync(Path.Combine(HeadlessChromium.ScreenshotDirectory, "dashboard-2-rank-run.png"));
                Assert.True(filled, "The page never showed both ranks past step 0 with plotted loss and throughput: " +
                    await chromium.TextAsync("document.body.innerText") + "\n" + run.Output);

                Assert.Equal("live", await chromium.TextAsync("document.getElementById('connection').dataset.state"));
                Assert.Equal("0,1", await chromium.TextAsync("[...document.querySelectorAll('#ranks tbody tr')].map(r => r.dataset.rank).join()"));
                Assert.Equal("healthy,healthy", await chromium.TextAsync("[...document.querySelectorAll('#ranks tbody tr')].map(r => r.dataset.health).join()"));
                Assert.Equal(
                    $"{Environment.MachineName},{Environment.MachineName}",
                    await chromium.TextAsync("[...document.querySelectorAll('#ranks tbody tr td:nth-child(2)')].map(c => c.textContent).join()"));
                Assert.Equal(
                    string.Join(',', pids),
                    await chromium.TextAsync("[...document.querySelectorAll('#ranks tbody tr td:nth-child(3)')].map(c => c.textContent).join()"));
                Assert.Equal("2", await chromium.TextAsync("document.getElementById('rank-count').dataset.ranks"));
                Assert.Equal("2", await chromium.TextAsync("document.getElementById('phase-bars').dataset.ranks"));
                Assert.True(
                    double.Parse(await chromium.TextAsync("document.getElementById('samples-per-second').textContent"), System.Globalization.CultureInfo.InvariantCulture) > 0,
                    "The page shows no throughput.");
                Assert.Equal("0", await chromium.TextAsync("document.getElementById('alerts').dataset.count"));
                Assert.Equal("0", await chromium.TextAsync("document.getElementById('failures').dataset.count"));
            }

            // Stop the run as a user does: SIGTERM to the agent, which stops its workers and exits.
            Assert.Equal(0, Probe.Signal(run.Pid, SigTerm));
            Assert.Equal(128 + SigTerm, await run.WaitAsync(Generous));
            Assert.Empty(await Probe.WaitGoneAsync(pids, TimeSpan.FromSeconds(10)));
        }
        finally
        {
            Probe.KillAll(pids);
        }
    }

    [GeneratedRegex(@"dashboard on (http://\S+/)")]
    private static partial Regex DashboardLine();
}
