using System.Globalization;

namespace DistTrain.Distributed;

/// <summary>
/// Who this worker is and how to reach the others, read from the environment the launcher sets
/// (<see cref="EnvironmentVariables"/>). The coordinator (DISTTRAIN_COORDINATOR, with
/// DISTTRAIN_JOB_TOKEN and DISTTRAIN_STORE_NAMESPACE) must be given: the process groups bootstrap through its store.
/// </summary>
public sealed record LaunchEnvironment
{
    private const string Advice = "start the program with `disttrain run`, or set RANK, LOCAL_RANK, WORLD_SIZE, LOCAL_WORLD_SIZE, DISTTRAIN_COORDINATOR, DISTTRAIN_JOB_TOKEN and DISTTRAIN_STORE_NAMESPACE (see docs/ENVIRONMENT.md)";

    /// <summary>RANK.</summary>
    public required int Rank { get; init; }

    /// <summary>LOCAL_RANK.</summary>
    public required int LocalRank { get; init; }

    /// <summary>WORLD_SIZE.</summary>
    public required int WorldSize { get; init; }

    /// <summary>LOCAL_WORLD_SIZE.</summary>
    public required int LocalWorldSize { get; init; }

    /// <summary>GROUP_RANK (0 when not set).</summary>
    public int GroupRank { get; init; }

    /// <summary>MASTER_ADDR, or null.</summary>
    public string? MasterAddr { get; init; }

    /// <summary>MASTER_PORT, or null.</summary>
    public int? MasterPort { get; init; }

    /// <summary>DISTTRAIN_COORDINATOR, or null.</summary>
    public Uri? Coordinator { get; init; }

    /// <summary>DISTTRAIN_JOB_TOKEN (with a coordinator).</summary>
    public string? JobToken { get; init; }

    /// <summary>DISTTRAIN_STORE_NAMESPACE (with a coordinator).</summary>
    public string? StoreNamespace { get; init; }

    /// <summary>DISTTRAIN_RESTART_COUNT (0 when not set).</summary>
    public int RestartCount { get; init; }

    /// <summary>GLOO_SOCKET_IFNAME, or null.</summary>
    public string? GlooSocketInterface { get; init; }

    /// <summary>OMP_NUM_THREADS, or null.</summary>
    public int? OmpNumThreads { get; init; }

    /// <summary>DISTTRAIN_LOCAL_ALLREDUCE: false when it is 0 (true when not set).</summary>
    public bool LocalAllReduce { get; init; } = true;

    /// <summary>Reads the process's environment.</summary>
    /// <exception cref="LaunchEnvironmentException">A variable is missing or invalid.</exception>
    public static LaunchEnvironment FromEnvironment() => From(Environment.GetEnvironmentVariable);

    /// <summary>Reads the variables <paramref name="lookup"/> returns (null: not set).</summary>
    /// <exception cref="LaunchEnvironmentException">A variable is missing or invalid; the message names it and what to do.</exception>
    public static LaunchEnvironment From(Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        var worldSize = Required(lookup, EnvironmentVariables.WorldSize, min: 1);
        var rank = Required(lookup, EnvironmentVariables.Rank, min: 0);
        if (rank >= worldSize)
        {
            throw new LaunchEnvironmentException(EnvironmentVariables.Rank, $"RANK ({rank}) must be less than WORLD_SIZE ({worldSize}); {Advice}.");
        }

        var localWorldSize = Optional(lookup, EnvironmentVariables.LocalWorldSize, min: 1) ?? worldSize;
        var localRank = Optional(lookup, EnvironmentVariables.LocalRank, min: 0) ?? rank;
        if (localRank >= localWorldSize)
        {
            throw new LaunchEnvironmentException(EnvironmentVariables.LocalRank, $"LOCAL_RANK ({localRank}) must be less than LOCAL_WORLD_SIZE ({localWorldSize}); {Advice}.");
        }

        var env = new LaunchEnvironment
        {
            Rank = rank,
            WorldSize = worldSize,
            LocalRank = localRank,
            LocalWorldSize = localWorldSize,
            GroupRank = Optional(lookup, EnvironmentVariables.GroupRank, min: 0) ?? 0,
            MasterAddr = NonEmpty(lookup, EnvironmentVariables.MasterAddr),
            MasterPort = Optional(lookup, EnvironmentVariables.MasterPort, min: 1, max: 65535),
            Coordinator = CoordinatorUri(lookup),
            JobToken = NonEmpty(lookup, EnvironmentVariables.JobToken),
            StoreNamespace = NonEmpty(lookup, EnvironmentVariables.StoreNamespace),
            RestartCount = Optional(lookup, EnvironmentVariables.RestartCount, min: 0) ?? 0,
            GlooSocketInterface = NonEmpty(lookup, EnvironmentVariables.GlooSocketInterface),
            OmpNumThreads = Optional(lookup, EnvironmentVariables.OmpNumThreads, min: 1),
            LocalAllReduce = (Optional(lookup, EnvironmentVariables.LocalAllReduce, min: 0, max: 1) ?? 1) == 1,
        };
        env.Validate();
        return env;
    }

    private void Validate()
    {
        if (Coordinator is not null)
        {
            if (JobToken is null)
            {
                throw new LaunchEnvironmentException(EnvironmentVariables.JobToken,
                    $"DISTTRAIN_JOB_TOKEN is not set but DISTTRAIN_COORDINATOR is ({Coordinator}): set it to the job's token; `disttrain run` sets both.");
            }

            if (StoreNamespace is null)
            {
                throw new LaunchEnvironmentException(EnvironmentVariables.StoreNamespace,
                    $"DISTTRAIN_STORE_NAMESPACE is not set but DISTTRAIN_COORDINATOR is ({Coordinator}): set it to the rendezvous round's store namespace (the world's store_namespace, for example round-1); `disttrain run` sets both.");
            }

            return;
        }

        throw new LaunchEnvironmentException(EnvironmentVariables.Coordinator,
            "DISTTRAIN_COORDINATOR is not set: DistTrain's workers create their process groups through the coordinator's store " +
            $"(a torchrun-style TCPStore on MASTER_ADDR{(MasterAddr is null ? "" : $" ({MasterAddr})")}:MASTER_PORT is not supported); {Advice}.");
    }

    private static int Required(Func<string, string?> lookup, string name, int min) =>
        Optional(lookup, name, min) ?? throw new LaunchEnvironmentException(name, $"{name} is not set: {Advice}.");

    private static int? Optional(Func<string, string?> lookup, string name, int min, int max = int.MaxValue)
    {
        var text = NonEmpty(lookup, name);
        if (text is null) return null;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            var range = max == int.MaxValue ? $"an integer ≥ {min}" : $"an integer from {min} to {max}";
            throw new LaunchEnvironmentException(name, $"{name} is '{text}', which is not {range}: {Advice}.");
        }

        return value;
    }

    private static string? NonEmpty(Func<string, string?> lookup, string name) =>
        lookup(name) is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

    private static Uri? CoordinatorUri(Func<string, string?> lookup)
    {
        var text = NonEmpty(lookup, EnvironmentVariables.Coordinator);
        if (text is null) return null;
        if (!text.Contains("://", StringComparison.Ordinal)) text = "http://" + text;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new LaunchEnvironmentException(EnvironmentVariables.Coordinator,
                $"DISTTRAIN_COORDINATOR is '{text}', which is not an address such as http://10.0.0.1:29400: {Advice}.");
        }

        return uri;
    }
}
