using System.Reflection;
using DistTrain.Launcher.Cli;

namespace DistTrain.Cluster.Tests.Kubernetes;

/// <summary>
/// The environment variables <c>disttrain</c> reads: the constants of the launcher's own
/// <see cref="FlagVariables"/> (one per flag of <c>disttrain run</c>; the coordinator reads the same token variable).
/// </summary>
internal static class LauncherVariables
{
    public static IReadOnlySet<string> Recognised { get; } = typeof(FlagVariables)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToHashSet();
}
