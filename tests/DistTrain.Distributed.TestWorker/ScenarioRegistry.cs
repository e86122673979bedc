using System.Reflection;

namespace DistTrain.Distributed.TestWorker;

/// <summary>Every <see cref="IScenario"/> in this assembly, by name.</summary>
public static class ScenarioRegistry
{
    private static readonly Lazy<IReadOnlyDictionary<string, IScenario>> All = new(() =>
        typeof(ScenarioRegistry).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IScenario).IsAssignableFrom(t))
            .Select(t => (IScenario)Activator.CreateInstance(t)!)
            .ToDictionary(s => s.Name, StringComparer.Ordinal));

    /// <summary>The scenario named <paramref name="name"/>, or null.</summary>
    public static IScenario? Find(string name) => All.Value.GetValueOrDefault(name);

    /// <summary>Every scenario name, sorted.</summary>
    public static IEnumerable<string> Names => All.Value.Keys.Order(StringComparer.Ordinal);
}
