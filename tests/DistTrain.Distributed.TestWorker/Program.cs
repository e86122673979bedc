using DistTrain.Distributed.TestWorker;
using DistTrain.Distributed.TestWorker.Failures;
using DistTrain.Telemetry;

if (args.Length == 0 || ScenarioRegistry.Find(args[0]) is not { } scenario)
{
    Console.Error.WriteLine($"usage: DistTrain.Distributed.TestWorker <scenario> [args…]; scenarios: {string.Join(", ", ScenarioRegistry.Names)}");
    return 64;
}

try
{
    var code = scenario.Run(args[1..]);
    Console.WriteLine(code == 0 ? $"PASSED {scenario.Name}" : $"EXIT {code} {scenario.Name}");
    return code;
}
catch (Exception e) when (e is not UnhandledOnPurposeException)
{
    LastWords.Record(e);
    Console.WriteLine($"FAILED {scenario.Name}: {e.GetType().Name}: {e.Message}");
    Console.Error.WriteLine(e);
    return 1;
}
