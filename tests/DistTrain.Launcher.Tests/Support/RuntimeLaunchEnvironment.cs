using System.Reflection;
using System.Runtime.Loader;

namespace DistTrain.Launcher.Tests.Support;

/// <summary>What the runtime's <c>DistTrain.Distributed.LaunchEnvironment</c> read from a worker's environment.</summary>
internal sealed record RuntimeView(
    int Rank, int LocalRank, int WorldSize, int LocalWorldSize, int GroupRank,
    Uri? Coordinator, string? JobToken, string? StoreNamespace, int RestartCount, string? MasterAddr, int? MasterPort);

/// <summary>
/// The runtime's reader, <c>DistTrain.Distributed.LaunchEnvironment.From</c>, called in src/DistTrain's own
/// assembly. That assembly is loaded into a context of its own: .NET compares assembly names ignoring case,
/// and to it the runtime's DistTrain is the launcher's disttrain. Its contract, DistTrain.Protocol, is the
/// one the launcher already loaded.
/// </summary>
internal static class RuntimeLaunchEnvironment
{
    private static readonly Lazy<MethodInfo> From = new(LoadFrom);

    /// <summary>Reads <paramref name="environment"/> as a worker started with it does.</summary>
    public static RuntimeView Read(IReadOnlyDictionary<string, string> environment)
    {
        Func<string, string?> lookup = environment.GetValueOrDefault;
        dynamic env = From.Value.Invoke(null, BindingFlags.DoNotWrapExceptions, null, [lookup], null)!;
        return new RuntimeView(
            env.Rank, env.LocalRank, env.WorldSize, env.LocalWorldSize, env.GroupRank,
            env.Coordinator, env.JobToken, env.StoreNamespace, env.RestartCount, env.MasterAddr, env.MasterPort);
    }

    private static MethodInfo LoadFrom()
    {
        var path = typeof(RuntimeLaunchEnvironment).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "DistTrainRuntimePath").Value!;
        var runtime = new AssemblyLoadContext("DistTrain runtime").LoadFromAssemblyPath(path);
        return runtime.GetType("DistTrain.Distributed.LaunchEnvironment", throwOnError: true)!.GetMethod("From", [typeof(Func<string, string?>)])!;
    }
}
