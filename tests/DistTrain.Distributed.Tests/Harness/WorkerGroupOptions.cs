namespace DistTrain.Distributed.Tests.Harness;

/// <summary>How <see cref="WorkerGroup"/> starts a group of workers (they always bootstrap through an in-process coordinator).</summary>
public sealed record WorkerGroupOptions
{
    /// <summary>How long the whole group may run before every worker is killed (generous: the machine is shared).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Arguments after the scenario name.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>A command each worker runs under (its arguments end with the worker's command line), for example <c>unshare</c>; empty: none.</summary>
    public IReadOnlyList<string> CommandPrefix { get; init; } = [];

    /// <summary>Extra environment for every worker (added after the launcher's variables, so they can override them; an empty value unsets the variable).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Extra environment for single ranks, by rank (applied after <see cref="Environment"/>).</summary>
    public IReadOnlyDictionary<int, IReadOnlyDictionary<string, string>> RankEnvironment { get; init; } = new Dictionary<int, IReadOnlyDictionary<string, string>>();
}
