using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DistTrain.Protocol;
using DistTrain.Protocol.V1;
using DistTrain.Telemetry;

namespace DistTrain.Distributed.Tests.Telemetry;

/// <summary>The background reporter against a coordinator that accepts the connection and never answers.</summary>
public sealed class TelemetryReporterTests
{
    [Fact]
    public async Task Stopping_while_a_report_is_in_flight_neither_throws_nor_waits_longer_than_the_last_reports_timeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start(); // accepts into its backlog, never speaks HTTP/2: every call hangs until cancelled or timed out
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        using var client = new CoordinatorClient($"http://127.0.0.1:{port}", "token");
        var log = new StringWriter();
        var taken = 0;
        var reporter = new TelemetryReporter(client.Telemetry, rank: 3, TimeSpan.FromMilliseconds(20), () =>
        {
            Interlocked.Increment(ref taken);
            return new RankTelemetry();
        }, log);
        while (Volatile.Read(ref taken) == 0)
            await Task.Delay(10); // the loop's first report is in flight now

        var clock = Stopwatch.StartNew();
        await reporter.DisposeAsync();

        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10)); // the final report's 2 s timeout, with room for a slow machine
        Assert.Equal(2, taken); // the one in flight, then the final report
        Assert.Contains("rank 3: the coordinator did not take a telemetry report (DeadlineExceeded", log.ToString());
    }
}
