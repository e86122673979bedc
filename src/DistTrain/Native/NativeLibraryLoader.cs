using System.Reflection;
using System.Runtime.InteropServices;
using DistTrain.Protocol.Launch;

namespace DistTrain.Native;

/// <summary>
/// Loads libdisttrain_native.so with <c>dlopen(RTLD_NOW | RTLD_DEEPBIND)</c>. The library links
/// Debian's standalone libgloo, and libtorch_cpu.so exports some of the same gloo symbols: should
/// libtorch ever sit in the global symbol scope (LD_PRELOAD, an embedding host), plain loading would
/// bind gloo's own calls to libtorch's copies and the first all-reduce would crash. DEEPBIND makes
/// the library and its dependencies prefer their own symbols. (DEEPBIND does not mix with allocator
/// interposition such as jemalloc or ASan preloaded: DISTTRAIN_NATIVE_DEEPBIND=0 turns it off.)
/// It also lets DISTTRAIN_NCCL_LIBRARY name the NCCL library to load instead of libnccl.so.2.
/// </summary>
internal static partial class NativeLibraryLoader
{
    private const int RtldNow = 0x2;
    private const int RtldDeepBind = 0x8;
    private const string FileName = "libdisttrain_native.so";
    private static int registered;
    private static IntPtr loaded;

    /// <summary>The address of an entry point of libdisttrain_native.so, which must have been used already (a group exists).</summary>
    internal static IntPtr Export(string name) =>
        loaded != IntPtr.Zero ? NativeLibrary.GetExport(loaded, name) : throw new InvalidOperationException($"{FileName} is not loaded yet");

    /// <summary>Installs the resolver for this assembly (once).</summary>
    internal static void Register()
    {
        if (Interlocked.Exchange(ref registered, 1) == 1) return;
        NativeLibrary.SetDllImportResolver(typeof(NativeLibraryLoader).Assembly, Resolve);
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name == NcclMethods.Library && Environment.GetEnvironmentVariable(LaunchVariables.NcclLibrary.Name) is { Length: > 0 } nccl)
            return NativeLibrary.Load(nccl);
        if (name != NativeMethods.Library) return IntPtr.Zero;
        var path = Locate() ?? throw new DllNotFoundException(
            $"{FileName} is not beside the program ({AppContext.BaseDirectory}) nor beside DistTrain.dll: it is built by src/DistTrain.Native with CMake during `dotnet build` (scripts/setup.sh installs cmake, g++ and libgloo-dev).");
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(LaunchVariables.NativeDeepBind.Name) == "0")
            return loaded = NativeLibrary.Load(path);
        var handle = Dlopen(path, RtldNow | RtldDeepBind);
        if (handle != IntPtr.Zero) return loaded = handle;
        var why = Marshal.PtrToStringUTF8(Dlerror()) ?? "unknown reason";
        throw new DllNotFoundException($"{FileName} could not be loaded: {why}. Run scripts/setup.sh (it installs libgloo0), or rebuild with `dotnet build`.");
    }

    private static string? Locate()
    {
        string[] places =
        [
            Path.Combine(AppContext.BaseDirectory, FileName),
            Path.Combine(Path.GetDirectoryName(typeof(NativeLibraryLoader).Assembly.Location) ?? "", FileName),
        ];
        return places.FirstOrDefault(File.Exists);
    }

    // glibc 2.34 moved dlopen into libc proper; older systems have it in libdl only.
    private static IntPtr Dlopen(string path, int flags)
    {
        try { return DlopenLibc(path, flags); }
        catch (EntryPointNotFoundException) { return DlopenLibdl(path, flags); }
    }

    private static IntPtr Dlerror()
    {
        try { return DlerrorLibc(); }
        catch (EntryPointNotFoundException) { return DlerrorLibdl(); }
    }

    [LibraryImport("libc.so.6", EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr DlopenLibc(string path, int flags);

    [LibraryImport("libc.so.6", EntryPoint = "dlerror")]
    private static partial IntPtr DlerrorLibc();

    [LibraryImport("libdl.so.2", EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr DlopenLibdl(string path, int flags);

    [LibraryImport("libdl.so.2", EntryPoint = "dlerror")]
    private static partial IntPtr DlerrorLibdl();
}
