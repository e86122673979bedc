using System.CommandLine;
using DistTrain.Bench.Coordinator;

var nodes = new Option<int>("--nodes") { Description = "Simulated nodes in the rendezvous.", DefaultValueFactory = _ => 1024 };
var repetitions = new Option<int>("--repetitions") { Description = "Measured rendezvous rounds.", DefaultValueFactory = _ => 5 };
var warmupRounds = new Option<int>("--warmup-rounds") { Description = "Rendezvous rounds run first and not counted (the JIT tiers up over them).", DefaultValueFactory = _ => 5 };
var seconds = new Option<double>("--seconds") { Description = "Measured seconds of sustained calls.", DefaultValueFactory = _ => 10 };
var concurrency = new Option<int>("--concurrency") { Description = "Calls in flight during the sustained run.", DefaultValueFactory = _ => 64 };
var warmup = new Option<double>("--warmup") { Description = "Seconds of sustained calls before measuring (lets the JIT finish tiering).", DefaultValueFactory = _ => 10 };
var channels = new Option<int>("--channels") { Description = "Client channels the callers share.", DefaultValueFactory = _ => 4 };
var only = new Option<string>("--only") { Description = "rendezvous, calls, or both.", DefaultValueFactory = _ => "both" };
var serve = new Option<bool>("--serve") { Description = "Internal: serve a coordinator until standard input closes." };

var root = new RootCommand("Coordinator benchmarks on loopback (server and clients in this process).")
{
    nodes, repetitions, warmupRounds, seconds, warmup, concurrency, channels, only, serve,
};
root.SetAction(async result =>
{
    if (result.GetValue(serve))
    {
        await ServerProcess.ServeAsync(result.GetValue(nodes));
        return;
    }

    var which = result.GetRequiredValue(only);
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
});
return await root.Parse(args).InvokeAsync();
