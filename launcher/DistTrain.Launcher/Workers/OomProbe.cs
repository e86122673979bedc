using System.Globalization;

namespace DistTrain.Launcher.Workers;

/// <summary>
/// Reads the kernel's count of OOM kills in the agent's cgroup (<c>oom_kill</c> in cgroup v2's
/// <c>memory.events</c>, or v1's <c>memory.oom_control</c>), so a SIGKILL can be told apart: counted
/// by the kernel, or only probably the kernel's when the counter cannot be read.
/// </summary>
public static class OomProbe
{
    private static readonly string[] Files = ["/sys/fs/cgroup/memory.events", "/sys/fs/cgroup/memory/memory.oom_control"];

    /// <summary>The current OOM-kill count, or null when no counter is readable.</summary>
    public static long? ReadOomKills()
    {
        foreach (var file in Files)
        {
            try
            {
                foreach (var line in File.ReadLines(file))
                {
                    var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length == 2 && parts[0] == "oom_kill" && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
                    {
                        return count;
                    }
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return null;
    }
}
