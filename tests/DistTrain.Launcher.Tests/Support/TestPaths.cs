using System.Net;
using System.Net.Sockets;

namespace DistTrain.Launcher.Tests.Support;

/// <summary>A temporary directory removed at dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("disttrain-test-").FullName;
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Small helpers about processes and ports.</summary>
internal static class Probe
{

    /// <summary>Whether process <paramref name="pid"/> is gone (no entry in /proc, or a zombie waiting to be reaped).</summary>
    public static bool IsGone(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state is "Z" or "X";
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>kill(2): sends <paramref name="signal"/> to process <paramref name="pid"/>; 0 on success.</summary>
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static extern int Signal(int pid, int signal);

    /// <summary>Reads a pid written by the test worker.</summary>
    public static int ReadPid(string file) => int.Parse(File.ReadAllText(file).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Waits until every process in <paramref name="pids"/> is gone, at most <paramref name="timeout"/>; returns those still alive.</summary>
    public static async Task<int[]> WaitGoneAsync(IReadOnlyList<int> pids, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var alive = pids.Where(p => !IsGone(p)).ToArray();
            if (alive.Length == 0 || DateTime.UtcNow > deadline)
            {
                return alive;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Kills leftovers of a failed test (best effort), so that no process outlives it.</summary>
    public static void KillAll(IEnumerable<int> pids)
    {
        foreach (var pid in pids)
        {
            try
            {
                System.Diagnostics.Process.GetProcessById(pid).Kill(entireProcessTree: true);
            }
            catch (ArgumentException)
            {
            }
            catch (InvalidOperationException)
            {
            }
        }
    }

    /// <summary>Reads a <c>KEY=VALUE</c> file written by the worker's <c>record</c> mode.</summary>
    public static Dictionary<string, string> ReadEnvironment(string file) =>
        File.ReadAllLines(file)
            .Where(l => l.Contains('=', StringComparison.Ordinal))
            .Select(l => l.Split('=', 2))
            .GroupBy(p => p[0])
            .ToDictionary(g => g.Key, g => g.First()[1]);
}
