using System.Reflection;
using DistTrain.Tests.Shared;

namespace DistTrain.Cluster.Tests.Support;

/// <summary>An example program from examples/, built by the solution in the configuration these tests were built in.</summary>
internal static class BuiltExample
{
    /// <summary>
    /// The path of <c>examples/<paramref name="name"/></c>'s built assembly; fails, saying how to build it,
    /// when it is not there.
    /// </summary>
    public static string Dll(string name)
    {
        var configuration = typeof(BuiltExample).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var dll = RepoPaths.Of(Path.Combine("examples", name, "bin", configuration, "net10.0", $"{name}.dll"));
        Assert.True(File.Exists(dll),
            $"The example {name} is not built ({dll}). Build the solution first: dotnet build DistTrain.sln -c {configuration}.");
        return dll;
    }
}
