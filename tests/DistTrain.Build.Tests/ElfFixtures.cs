using System.Diagnostics;
using DistTrain.Build;

namespace DistTrain.Build.Tests;

/// <summary>
/// Files the tests work on: an untouched copy of TorchSharp's native library from the NuGet cache, this
/// system's libstdc++, and stand-in libstdc++ files built with g++ and a version script, defining exactly
/// the versions a test wants (the real thing for ld.so and for the check: a shared object with a
/// .gnu.version_d section).
/// </summary>
internal static class ElfFixtures
{
    public static string CachedTorchSharpLibrary
    {
        get
        {
            var home = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            var path = Path.Combine(home, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
            Assert.True(File.Exists(path), $"TorchSharp 0.107.0 is not restored at {path}");
            return path;
        }
    }

    public static string SystemLibstdcxx => LibstdcxxVersionCheck.FindSystemLibstdcxx() ?? throw new InvalidOperationException("no libstdc++.so.6 found");

    /// <summary>A private copy of the cache's library in <paramref name="directory"/>.</summary>
    public static string CopyOfTorchSharpLibrary(string directory, string name = "libLibTorchSharp.so")
    {
        var path = Path.Combine(directory, name);
        File.Copy(CachedTorchSharpLibrary, path, overwrite: true);
        return path;
    }

    /// <summary>A shared object that defines the version nodes <paramref name="versions"/> and nothing else of note.</summary>
    public static string LibstdcxxDefining(string directory, IEnumerable<string> versions)
    {
        var script = Path.Combine(directory, "versions.map");
        File.WriteAllText(script, string.Concat(versions.Distinct().Select(v => $"{v} {{ }};\n")));
        var source = Path.Combine(directory, "empty.c");
        File.WriteAllText(source, "int disttrain_fixture;\n");
        var output = Path.Combine(directory, "libstdc++.so.6");
        Run("gcc", "-shared", "-fPIC", "-o", output, source, $"-Wl,--version-script={script}");
        return output;
    }

    /// <summary>The version names <paramref name="library"/> needs from libstdc++, as the check reads them.</summary>
    public static IReadOnlyList<string> LibstdcxxNeeds(string library) =>
        ReadElf("-V", library).Split('\n').SkipWhile(l => !l.Contains("File: libstdc++.so.6")).Skip(1)
            .TakeWhile(l => l.Contains("Name:")).Select(l => l.Split("Name:")[1].Trim().Split(' ')[0]).ToArray();

    public static string ReadElf(params string[] arguments) => Run("readelf", arguments);

    public static string TemporaryDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "disttrain-build-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    private static string Run(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} failed: {error}");
        return output;
    }
}
