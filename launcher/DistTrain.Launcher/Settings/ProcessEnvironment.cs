using System.Collections;

namespace DistTrain.Launcher.Settings;

/// <summary>The agent's own environment as a dictionary, the form detection and parsing take (tests pass their own).</summary>
public static class ProcessEnvironment
{
    /// <summary>A copy of the current process's environment variables.</summary>
    public static IReadOnlyDictionary<string, string> Snapshot()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            result[(string)entry.Key] = entry.Value as string ?? "";
        }

        return result;
    }
}
