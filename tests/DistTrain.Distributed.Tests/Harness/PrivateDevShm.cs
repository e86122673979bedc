using System.Diagnostics;

namespace DistTrain.Distributed.Tests.Harness;

/// <summary>
/// A /dev/shm of its own (a tmpfs in a user and mount namespace, no root needed) that several workers
/// share: a holder process creates the namespaces and sleeps; each worker enters them through
/// <see cref="CommandPrefix"/>; the test reads what the tmpfs holds through the holder's root
/// (<c>/proc/&lt;pid&gt;/root/dev/shm</c>), untouched by anything else on the machine. Disposing kills the holder.
/// </summary>
public sealed class PrivateDevShm : IDisposable
{
    private readonly Process _holder;

    private PrivateDevShm(Process holder) => _holder = holder;

    /// <summary>Mounts a fresh tmpfs of <paramref name="size"/> (for example <c>64m</c>) as /dev/shm in new namespaces.</summary>
    public static async Task<PrivateDevShm> StartAsync(string size = "64m")
    {
        var info = new ProcessStartInfo("unshare") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "--user", "--map-root-user", "--mount", "sh", "-c", $"mount -t tmpfs -o size={size} tmpfs /dev/shm && echo ready && exec sleep 600" })
            info.ArgumentList.Add(a);
        var holder = Process.Start(info) ?? throw new InvalidOperationException("could not start unshare");
        var line = await holder.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (line != "ready")
        {
            holder.Kill();
            throw new InvalidOperationException($"could not mount a private /dev/shm (unshare said '{line}')");
        }
        return new PrivateDevShm(holder);
    }

    /// <summary>Runs a worker inside the holder's namespaces, so that it sees this /dev/shm.</summary>
    public IReadOnlyList<string> CommandPrefix => ["nsenter", "-t", _holder.Id.ToString(), "--user", "--mount", "--preserve-credentials"];

    /// <summary>What this /dev/shm holds now.</summary>
    public IReadOnlyList<string> Entries() =>
        Directory.EnumerateFileSystemEntries($"/proc/{_holder.Id}/root/dev/shm").Select(Path.GetFileName).Order().ToArray()!;

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            if (!_holder.HasExited) _holder.Kill();
            _holder.WaitForExit();
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        _holder.Dispose();
    }
}
