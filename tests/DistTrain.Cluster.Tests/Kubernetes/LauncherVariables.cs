namespace DistTrain.Cluster.Tests.Kubernetes;

/// <summary>The environment variables <c>disttrain</c> reads (placeholder until the launcher is merged).</summary>
internal static class LauncherVariables
{
    public static IReadOnlySet<string> Recognised { get; } = new HashSet<string> { "DISTTRAIN_TOKEN", "DISTTRAIN_COORDINATOR_MODE", "DISTTRAIN_LOCAL_ADDR" };
}
