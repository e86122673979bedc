using System.CommandLine;
using DistTrain.Bench.Coordinator;

var nodes = new Option<int>("--nodes") { Description = "Simulated nodes in the rendezvous.", DefaultValueFactory = _ => 1024 };
var repetitions = new Option<int>("--repetitions") { Description = "Measured rendezvous rounds.", DefaultValueFactory = _ => 5 };
var warmupRounds = new Option<int>("--warmup-rounds") { Description = "Rendezvous rounds run first and not counted (the JIT tiers up over them).", DefaultValueFactory = _ => 5 };
var seconds = new Option<double>("--seconds") { Description = "Measured seconds of sustained calls.", DefaultValueFactory = _ => 10 };
var concurrency = new Option<int>("--concurrency") { Description = "Calls in flight during the sustained run.", DefaultValueFactory = _ => 64 };
var warmup = new Option<double>("--warmup") { Description = "Seconds of sustained calls before measuring (lets the JIT finish tiering).", DefaultValueFactory = _ => 10 };
var channels = new Option<int>("--channels") { Description = "Client channels the callers share.", DefaultValueFactory = _ => 4 };
var only = new Option<string>("--only") { Description = "rendezvous, calls, scale, telemetry, or both (rendezvous and calls).", DefaultValueFactory = _ => "both" };
var reporters = new Option<int>("--reporters") { Description = "Simulated ranks sending telemetry reports in the telemetry run.", DefaultValueFactory = _ => 32 };
var reportInterval = new Option<double>("--report-interval") { Description = "Seconds between one rank's reports in the telemetry run (workers report every 1 s).", DefaultValueFactory = _ => 0.05 };
var scaleNodes = new Option<int>("--scale-nodes") { Description = "Simulated nodes, one connection each, in the scale run.", DefaultValueFactory = _ => 10_000 };
var heartbeatRounds = new Option<int>("--heartbeat-rounds") { Description = "Heartbeats per node in the scale run.", DefaultValueFactory = _ => 3 };
var heartbeatConcurrency = new Option<int>("--heartbeat-concurrency") { Description = "Heartbeats in flight in the scale run.", DefaultValueFactory = _ => 256 };
var limit = new Option<double>("--limit") { Description = "Seconds the scale run may take in all before it is stopped.", DefaultValueFactory = _ => 600 };
var heartbeatInterval = new Option<double>("--heartbeat-interval") { Description = "Seconds between a node's heartbeats on the coordinator (the scale run uses 60: its nodes heartbeat only once all hold the world).", DefaultValueFactory = _ => 5 };
var noRetryPolicy = new Option<bool>("--no-retry-policy") { Description = "Clients without the retry policy of the service config (to show what it costs per call)." };
var serve = new Option<bool>("--serve") { Description = "Internal: serve a coordinator until standard input closes." };

var root = new RootCommand("Coordinator benchmarks on loopback (server and clients in this process).")
{
    nodes, repetitions, warmupRounds, seconds, warmup, concurrency, channels, only, reporters, reportInterval, scaleNodes, heartbeatRounds, heartbeatConcurrency, limit, heartbeatInterval, noRetryPolicy, serve,
};
root.SetAction(async result =>
{
    if (result.GetValue(serve))
    {
        await ServerProcess.ServeAsync(result.GetValue(nodes), result.GetValue(heartbeatInterval));
        return;
    }

    var which = result.GetRequiredValue(only);
    Server.RetryPolicy = !result.GetValue(noRetryPolicy);
    Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}");
    if (which is "both" or "rendezvous")
    {
        var (cold, runs) = await RendezvousBenchmark.RunAsync(
            result.GetValue(nodes), result.GetValue(warmupRounds), result.GetValue(repetitions), result.GetValue(channels));
        var wall = runs.Select(r => r.WallMs).Order().ToArray();
        Console.WriteLine(
            $"rendezvous of {result.GetValue(nodes)} nodes, warm: median {wall[wall.Length / 2]:F1} ms, best {wall[0]:F1} ms, worst {wall[^1]:F1} ms (goal < 1000 ms); " +
            $"median CPU: server {runs.Select(r => r.ServerCpuMs).Order().ElementAt(runs.Length / 2):F0} ms, clients {runs.Select(r => r.ClientCpuMs).Order().ElementAt(runs.Length / 2):F0} ms; " +
            $"first (cold) round {cold.WallMs:F1} ms");
    }

    if (which is "both" or "calls")
    {
        var r = await CallRateBenchmark.RunAsync(
            result.GetValue(concurrency), TimeSpan.FromSeconds(result.GetValue(seconds)), TimeSpan.FromSeconds(result.GetValue(warmup)), result.GetValue(channels));
        Console.WriteLine(
            $"heartbeat + store calls: {r.CallsPerSecond:N0} calls/s over {r.Calls:N0} calls, p50 {r.P50Ms:F2} ms, p99 {r.P99Ms:F2} ms " +
            $"at {result.GetValue(concurrency)} in flight (goal ≥ 50,000 calls/s at p99 < 5 ms); " +
            $"CPU per call: server {r.ServerCpuMicrosecondsPerCall:F1} µs, client {r.ClientCpuMicrosecondsPerCall:F1} µs; load {Machine.LoadAverage()}");
    }

    if (which is "telemetry")
    {
        var r = await TelemetryReportBenchmark.RunAsync(
            result.GetValue(reporters), TimeSpan.FromSeconds(result.GetValue(reportInterval)), TimeSpan.FromSeconds(result.GetValue(seconds)), TimeSpan.FromSeconds(result.GetValue(warmup)));
        var perRankShare = (r.ClientCpuMicrosecondsPerReport + r.ServerCpuMicrosecondsPerReport) / 1e6 * 100;
        Console.WriteLine(
            $"telemetry reports: {r.Reports:N0} at {r.ReportsPerSecond:N0}/s from {result.GetValue(reporters)} ranks, p50 {r.P50Ms:F2} ms, p99 {r.P99Ms:F2} ms; " +
            $"CPU per report: server {r.ServerCpuMicrosecondsPerReport:F1} µs, client {r.ClientCpuMicrosecondsPerReport:F1} µs " +
            $"(a rank reporting once a second: {perRankShare:F3}% of a core on both sides together); load {Machine.LoadAverage()}");
    }

    if (which is "scale")
    {
        var n = result.GetValue(scaleNodes);
        var r = await ScaleBenchmark.RunAsync(n, result.GetValue(heartbeatRounds), result.GetValue(heartbeatConcurrency), TimeSpan.FromSeconds(result.GetValue(limit)));
        Console.WriteLine(
            $"{n:N0} nodes, a connection each: connected in {r.ConnectSeconds:F1} s; all joined and holding the {r.WorldBytes / 1024.0:F0} KB world {r.JoinSeconds:F1} s after the start " +
            $"(last join → all hold it: {r.CloseMs:F0} ms); coordinator CPU for connections + joins {r.JoinCpuMs:F0} ms ({r.JoinCpuMs * 1000 / n:F0} µs per node: " +
            $"connecting {r.ConnectCpuMs:F0} ms, then until {n - 1:N0} joins wait {r.WaitingCpuMs - r.ConnectCpuMs:F0} ms, then the close {r.JoinCpuMs - r.WaitingCpuMs:F0} ms)");
        Console.WriteLine(
            $"coordinator memory (RSS): idle {MiB(r.IdleBytes):F0} MiB, {n - 1:N0} joins waiting {MiB(r.WaitingBytes):F0} MiB ({(r.WaitingBytes - r.IdleBytes) / (double)n / 1024:F1} KiB per node), " +
            $"round closed {MiB(r.ClosedBytes):F0} MiB, after heartbeats {MiB(r.AfterHeartbeatsBytes):F0} MiB ({(r.AfterHeartbeatsBytes - r.IdleBytes) / (double)n / 1024:F1} KiB per node)");
        Console.WriteLine(
            $"heartbeats: {r.Heartbeats:N0} at {r.HeartbeatsPerSecond:N0}/s with {result.GetValue(heartbeatConcurrency)} in flight, p99 {r.HeartbeatP99Ms:F2} ms; " +
            $"coordinator CPU {r.HeartbeatCpuMicroseconds:F1} µs per heartbeat (heartbeats every 5 s, the default, from {n:N0} nodes: {r.HeartbeatCpuMicroseconds * n / 5 / 1e4:F2}% of a core); load {Machine.LoadAverage()}");
    }
});
return await root.Parse(args).InvokeAsync();

static double MiB(long bytes) => bytes / 1024.0 / 1024.0;
