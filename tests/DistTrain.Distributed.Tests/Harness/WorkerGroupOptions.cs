namespace DistTrain.Distributed.Tests.Harness;

/// <summary>How <see cref="WorkerGroup"/> starts a group of workers.</summary>
public sealed record WorkerGroupOptions
{
    /// <summary>How the workers find each other.</summary>
    public StoreKind Store { get; init; } = StoreKind.Coordinator;

    /// <summary>How long the whole group may run before every worker is killed (generous: the machine is shared).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Arguments after the scenario name.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>A command each worker runs under (its arguments end with the worker's command line), for example <c>unshare</c>; empty: none.</summary>
    public IReadOnlyList<string> CommandPrefix { get; init; } = [];

    /// <summary>Extra environment for every worker (added after the launcher's variables, so they can override them; an empty value unsets the variable).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}

/// <summary>The store a worker group bootstraps through.</summary>
public enum StoreKind
{
    /// <summary>An in-process coordinator's key-value store (DISTTRAIN_COORDINATOR, as <c>disttrain run</c> launches).</summary>
    Coordinator,

    /// <summary>c10d's TCPStore hosted by rank 0 (MASTER_ADDR/MASTER_PORT, as torchrun launches).</summary>
    TcpStore,
}
