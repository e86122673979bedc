using System.Text;
using DistTrain.Runtime;

namespace DistTrain.Distributed.Tests.Runtime;

/// <summary>When TorchSharp cannot load, the reason says what is wrong and what to do (TorchSharp's own message blames a missing package whatever the cause).</summary>
public sealed class TorchSharpRuntimeTests : IDisposable
{
    private const string NativeFile = "libLibTorchSharp.so";
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("disttrain-runtime-test-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void TorchSharp_loads_in_a_build_output_prepared_for_this_system()
    {
        TorchSharpRuntime.EnsureLoaded();
        using var t = TorchSharp.torch.ones(3);
        Assert.Equal(3, t.sum().item<float>());
    }

    [Fact]
    public void Without_the_native_library_the_message_says_which_packages_to_reference()
    {
        var message = TorchSharpRuntime.Diagnose(_directory.FullName);
        Assert.StartsWith($"TorchSharp cannot load: {NativeFile} is not beside the program (looked in {Path.Combine(_directory.FullName, NativeFile)}", message);
        Assert.Contains("Reference TorchSharp together with libtorch-cpu-linux-x64 (CPU) or TorchSharp-cuda-linux (GPU)", message);
    }

    [Fact]
    public void A_native_library_that_needs_a_newer_libstdcxx_is_reported_with_the_missing_GLIBCXX_version_and_what_to_do()
    {
        if (SystemLibstdcxxHas("GLIBCXX_3.4.32"))
        {
            return; // GCC 13's runtime or newer: TorchSharp's library loads unpatched here, the condition cannot be made
        }

        // TorchSharp's library as the package ships it (not the build output's prepared copy), beside this
        // output's LibTorch (linked, not copied) so that only the libstdc++ version can stop it.
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages ? packages : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var shipped = Path.Combine(cache, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", NativeFile);
        Assert.True(File.Exists(shipped), $"TorchSharp's package is not in the NuGet cache at {shipped}");
        File.Copy(shipped, Path.Combine(_directory.FullName, NativeFile));
        var natives = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");
        foreach (var library in Directory.EnumerateFiles(natives, "lib*.so*").Where(f => Path.GetFileName(f) != NativeFile))
            File.CreateSymbolicLink(Path.Combine(_directory.FullName, Path.GetFileName(library)), library);

        var message = TorchSharpRuntime.Diagnose(_directory.FullName);
        Assert.StartsWith("TorchSharp cannot load: ", message);
        Assert.Contains("GLIBCXX_3.4.32", message);
        Assert.Contains("This system's libstdc++ is older than the one TorchSharp was built with", message);
        Assert.Contains("Build the program with DistTrain's build targets", message);
        Assert.Contains("install GCC 13's libstdc++", message);
    }

    // Whether the libstdc++ this process would load defines the version (its name is in the version table).
    private static bool SystemLibstdcxxHas(string version)
    {
        var path = new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6" }.FirstOrDefault(File.Exists);
        Assert.NotNull(path);
        var bytes = File.ReadAllBytes(path);
        return bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(version + "\0")) >= 0;
    }
}
