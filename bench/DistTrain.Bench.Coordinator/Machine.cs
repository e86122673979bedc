using System.Diagnostics;

namespace DistTrain.Bench.Coordinator;

/// <summary>
/// What else the machine was doing. On a shared machine wall-clock rates depend on the load, so each
/// result also reports the CPU time this process spent, which does not.
/// </summary>
internal static class Machine
{
    /// <summary>The 1-minute load average (Linux), or "n/a".</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    /// <summary>CPU time (user + system, all threads) this process has used so far.</summary>
    public static TimeSpan CpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }
}
