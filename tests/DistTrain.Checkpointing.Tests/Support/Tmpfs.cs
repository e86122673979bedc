using System.Diagnostics;

namespace DistTrain.Checkpointing.Tests.Support;

/// <summary>
/// A small tmpfs mounted on a fresh directory, for real full-disk and read-only filesystems. Mounting
/// needs root; <see cref="TryMount"/> returns null where it cannot (the tests that need it then return).
/// </summary>
internal sealed class Tmpfs : IDisposable
{
    private Tmpfs(string path) => Path = path;

    public string Path { get; }

    public static Tmpfs? TryMount(string size)
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
            return null;
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "disttrain-tmpfs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        if (Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", path) == 0)
            return new Tmpfs(path);
        Directory.Delete(path);
        return null;
    }

    /// <summary>Remounts the filesystem read-only (or back read-write).</summary>
    public void Remount(bool readOnly) =>
        Assert.Equal(0, Run("mount", "-o", readOnly ? "remount,ro" : "remount,rw", Path));

    public void Dispose()
    {
        Run("umount", Path);
        Directory.Delete(Path);
    }

    private static int Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        process.WaitForExit();
        return process.ExitCode;
    }
}
