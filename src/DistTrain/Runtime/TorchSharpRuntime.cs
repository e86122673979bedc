using System.Runtime.InteropServices;
using TorchSharp;

namespace DistTrain.Runtime;

/// <summary>
/// Makes sure TorchSharp's native library loads, and when it does not, says why in words a user can
/// act on. TorchSharp itself reports every load failure as "doesn't contain a reference to
/// libtorch-cpu-linux-x64", whatever the cause (most often, on Debian 12, Ubuntu 22.04 and RHEL 9,
/// a libstdc++ older than the one libLibTorchSharp.so was linked against).
/// </summary>
public static class TorchSharpRuntime
{
    private const string NativeFile = "libLibTorchSharp.so";

    /// <summary>Loads TorchSharp's native library now (once); does nothing when it is loaded already.</summary>
    /// <exception cref="TorchSharpLoadException">It cannot be loaded: the message names the missing file or the system library it needs.</exception>
    public static void EnsureLoaded()
    {
        // A native library beside the program that cannot load (most often: an older libstdc++) is reported
        // before TorchSharp tries, which would otherwise copy every LibTorch file from the NuGet cache into
        // the program's folder to try again, and print its misleading message.
        if (NativeBeside(AppContext.BaseDirectory) is { } native)
        {
            if (!NativeLibrary.TryLoad(native, out _)) throw new TorchSharpLoadException(Diagnose(AppContext.BaseDirectory));
        }

        // TorchSharp writes its own (misleading) explanation to standard output before it throws: keep it out
        // of the program's output (it stays in the inner exception), so that the first line says why.
        var output = Console.Out;
        var captured = new StringWriter();
        Console.SetOut(captured);
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
        }
        catch (Exception e) when (e is TypeInitializationException or NotSupportedException or DllNotFoundException or InvalidOperationException)
        {
            Console.SetOut(output);
            throw new TorchSharpLoadException(Diagnose(AppContext.BaseDirectory), e);
        }
        finally
        {
            Console.SetOut(output);
        }
        if (captured.GetStringBuilder().Length > 0) output.Write(captured.ToString()); // what it printed while it loaded fine
    }

    private static string[] Candidates(string programDirectory) =>
        [Path.Combine(programDirectory, NativeFile), Path.Combine(programDirectory, "runtimes", "linux-x64", "native", NativeFile)];

    private static string? NativeBeside(string programDirectory) => Candidates(programDirectory).FirstOrDefault(File.Exists);

    /// <summary>Why TorchSharp cannot load from <paramref name="programDirectory"/>, and what to do (also used by the tests).</summary>
    public static string Diagnose(string programDirectory)
    {
        var native = NativeBeside(programDirectory);
        if (native is null)
        {
            return $"TorchSharp cannot load: {NativeFile} is not beside the program (looked in {string.Join(" and ", Candidates(programDirectory))}). " +
                   "Reference TorchSharp together with libtorch-cpu-linux-x64 (CPU) or TorchSharp-cuda-linux (GPU) in the program's project, and run it from its build output.";
        }
        if (NativeLibrary.TryLoad(native, out var handle))
        {
            NativeLibrary.Free(handle);
            return $"TorchSharp cannot load although {native} itself loads: its managed side failed to initialise (see the inner exception). " +
                   "Check that TorchSharp and its LibTorch package have matching versions (TorchSharp 0.107.0 goes with LibTorch 2.10.0).";
        }
        var why = LoadError(native);
        if (why.Contains("GLIBCXX_", StringComparison.Ordinal) || why.Contains("CXXABI_", StringComparison.Ordinal))
        {
            return $"TorchSharp cannot load: {why}. This system's libstdc++ is older than the one TorchSharp was built with. " +
                   "Build the program with DistTrain's build targets (Directory.Build.targets imports build/TorchSharpLoading, which prepares the output for this libstdc++), " +
                   "or install GCC 13's libstdc++ (a newer distribution, or your toolchain's runtime on LD_LIBRARY_PATH).";
        }
        if (why.Contains("libtorch", StringComparison.Ordinal) || why.Contains("libc10", StringComparison.Ordinal))
        {
            return $"TorchSharp cannot load: {why}. LibTorch is missing beside the program: reference libtorch-cpu-linux-x64 (CPU) or TorchSharp-cuda-linux (GPU).";
        }
        return $"TorchSharp cannot load: {why}.";
    }

    // The loader's own message (dlerror): which file or symbol version is missing.
    private static string LoadError(string path)
    {
        try
        {
            NativeLibrary.Free(NativeLibrary.Load(path));
            return "it loaded on a second try";
        }
        catch (DllNotFoundException e)
        {
            // .NET wraps the loader's line in advice about strace and LD_DEBUG over several lines: keep the loader's
            // own words, on one line, so that a worker's first line holds them.
            var lines = e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var loader = lines.Where(l => !l.StartsWith("Unable to load shared library", StringComparison.Ordinal) && l != ".").ToArray();
            return loader.Length > 0 ? string.Join(" ", loader).TrimEnd('.') : string.Join(" ", lines);
        }
    }
}
