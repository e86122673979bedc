using DistTrain.Launcher.Settings;

namespace DistTrain.Cluster.Tests.Kubernetes;

/// <summary>The environment variables <c>disttrain run</c> reads: one per flag of its table (the coordinator reads the same token variable).</summary>
internal static class LauncherVariables
{
    public static IReadOnlySet<string> Recognised { get; } = RunFlags.All.Select(f => f.Variable).ToHashSet();
}
