using DistTrain.Bench.Distributed;

var modes = typeof(IBenchMode).Assembly.GetTypes()
    .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IBenchMode).IsAssignableFrom(t))
    .Select(t => (IBenchMode)Activator.CreateInstance(t)!)
    .ToDictionary(m => m.Name, StringComparer.Ordinal);

if (args.Length == 0 || !modes.TryGetValue(args[0], out var mode))
{
    Console.Error.WriteLine($"usage: DistTrain.Bench.Distributed <mode> [options]; modes: {string.Join(", ", modes.Keys.Order())}");
    return 64;
}

return mode.Run(args[1..]);
