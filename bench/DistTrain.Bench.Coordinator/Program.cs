using System.CommandLine;
using DistTrain.Bench.Coordinator;

var nodes = new Option<int>("--nodes") { Description = "Simulated nodes in the rendezvous.", DefaultValueFactory = _ => 1024 };
var repetitions = new Option<int>("--repetitions") { Description = "Rendezvous repetitions (a fresh coordinator each).", DefaultValueFactory = _ => 5 };
var seconds = new Option<double>("--seconds") { Description = "Measured seconds of sustained calls.", DefaultValueFactory = _ => 10 };
var concurrency = new Option<int>("--concurrency") { Description = "Calls in flight during the sustained run.", DefaultValueFactory = _ => 64 };
var channels = new Option<int>("--channels") { Description = "Client channels the callers share.", DefaultValueFactory = _ => 4 };
var only = new Option<string>("--only") { Description = "rendezvous, calls, or both.", DefaultValueFactory = _ => "both" };

var root = new RootCommand("Coordinator benchmarks on loopback (server and clients in this process).")
{
    nodes, repetitions, seconds, concurrency, channels, only,
};
root.SetAction(async result =>
{
    var which = result.GetRequiredValue(only);
    Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}");
    if (which is "both" or "rendezvous")
    {
        var times = await RendezvousBenchmark.RunAsync(result.GetValue(nodes), result.GetValue(repetitions), result.GetValue(channels));
        Array.Sort(times);
        Console.WriteLine($"rendezvous of {result.GetValue(nodes)} nodes: median {times[times.Length / 2]:F1} ms, best {times[0]:F1} ms, worst {times[^1]:F1} ms (goal < 1000 ms)");
    }

    if (which is "both" or "calls")
    {
        var (rate, p50, p99, calls) = await CallRateBenchmark.RunAsync(
            result.GetValue(concurrency), TimeSpan.FromSeconds(result.GetValue(seconds)), TimeSpan.FromSeconds(2), result.GetValue(channels));
        Console.WriteLine($"heartbeat + store calls: {rate:N0} calls/s over {calls:N0} calls, p50 {p50:F2} ms, p99 {p99:F2} ms at {result.GetValue(concurrency)} in flight (goal ≥ 50,000 calls/s at p99 < 5 ms)");
    }
});
return await root.Parse(args).InvokeAsync();
