using System.Diagnostics;
using System.Text;
using DistTrain.Distributed.Tests.Harness;
using DistTrain.Protocol.Launch;

namespace DistTrain.Distributed.Tests.Runtime;

/// <summary>
/// A real worker whose TorchSharp cannot load says why in its first line (not TorchSharp's "doesn't contain
/// a reference to libtorch-cpu-linux-x64"). The worker runs from a hard-linked copy of this build output
/// with TorchSharp's native library removed or replaced by the package's unprepared one.
/// </summary>
public sealed class WorkerLoadFailureTests : IDisposable
{
    private const string NativeFile = "libLibTorchSharp.so";
    private readonly string _output = Path.Combine(Path.GetTempPath(), $"disttrain-worker-copy-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_output)) Directory.Delete(_output, recursive: true);
    }

    [Fact]
    public async Task Without_TorchSharps_native_library_the_workers_first_line_says_which_packages_to_reference()
    {
        var natives = await CopyOutputAsync();
        File.Delete(Path.Combine(natives, NativeFile));
        var first = await FirstLineAsync();
        Assert.StartsWith($"FAILED all-reduce: TorchSharpLoadException: TorchSharp cannot load: {NativeFile} is not beside the program", first);
        Assert.Contains("Reference TorchSharp together with libtorch-cpu-linux-x64", first);
    }

    [Fact]
    public async Task With_a_native_library_that_needs_a_newer_libstdcxx_the_workers_first_line_names_the_GLIBCXX_version()
    {
        var shipped = Path.Combine(NuGetCache(), "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", NativeFile);
        Assert.True(File.Exists(shipped), $"TorchSharp's package is not in the NuGet cache at {shipped}");
        if (Encoding.ASCII.GetString(await File.ReadAllBytesAsync(SystemLibstdcxx())).Contains("GLIBCXX_3.4.32\0", StringComparison.Ordinal))
        {
            return; // GCC 13's runtime or newer: the package's library loads unprepared here, the condition cannot be made
        }

        var natives = await CopyOutputAsync();
        File.Delete(Path.Combine(natives, NativeFile));
        File.Copy(shipped, Path.Combine(natives, NativeFile));
        var first = await FirstLineAsync();
        Assert.StartsWith("FAILED all-reduce: TorchSharpLoadException: TorchSharp cannot load: ", first);
        Assert.Contains("GLIBCXX_3.4.32", first);
        Assert.Contains("Build the program with DistTrain's build targets", first);
    }

    // cp -al: the copy's files are hard links of this output's (no LibTorch copied); returns its natives' folder.
    private async Task<string> CopyOutputAsync()
    {
        using var copy = Process.Start(new ProcessStartInfo("cp", ["-al", AppContext.BaseDirectory.TrimEnd('/'), _output]) { UseShellExecute = false })!;
        await copy.WaitForExitAsync();
        Assert.Equal(0, copy.ExitCode);
        return Path.Combine(_output, "runtimes", "linux-x64", "native");
    }

    // Runs the copied worker with a launcher environment; TorchSharp's own fallback (loading from the NuGet cache) is pointed at nothing.
    private async Task<string> FirstLineAsync()
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _output };
        info.ArgumentList.Add(Path.Combine(_output, Path.GetFileName(WorkerGroup.WorkerPath())));
        info.ArgumentList.Add("all-reduce");
        var empty = Directory.CreateDirectory(Path.Combine(_output, "no-packages")).FullName;
        var identity = new LaunchIdentity
        {
            Rank = 0, LocalRank = 0, WorldSize = 1, LocalWorldSize = 1, Coordinator = new Uri("http://127.0.0.1:9"), JobToken = "t", StoreNamespace = "round-1",
        };
        foreach (var (key, value) in LaunchIdentityWriter.Write(identity)) info.Environment[key] = value;
        info.Environment["NUGET_PACKAGES"] = empty;
        using var worker = Process.Start(info)!;
        var stderr = worker.StandardError.ReadToEndAsync();
        var stdout = await worker.StandardOutput.ReadToEndAsync();
        await worker.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(worker.ExitCode == 1, $"exit {worker.ExitCode}\n{stdout}\n{await stderr}");
        return stdout.Split('\n')[0];
    }

    private static string NuGetCache() => Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages
        ? packages
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static string SystemLibstdcxx() =>
        new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6" }.First(File.Exists);
}
