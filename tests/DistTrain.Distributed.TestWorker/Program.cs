using DistTrain.Distributed.TestWorker;

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
catch (Exception e)
{
    Console.WriteLine($"FAILED {scenario.Name}: {e.GetType().Name}: {e.Message}");
    Console.Error.WriteLine(e);
    return 1;
}
