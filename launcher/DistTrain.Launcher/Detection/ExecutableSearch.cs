namespace DistTrain.Launcher.Detection;

/// <summary>Finds a command on a <c>PATH</c>, as a shell does.</summary>
public static class ExecutableSearch
{
    /// <summary>Returns the full path of <paramref name="command"/>, or null when no directory of the environment's <c>PATH</c> holds it as an executable file. A name with a slash is checked as a path.</summary>
    public static string? Find(string command, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(environment);
        if (command.Contains('/', StringComparison.Ordinal))
        {
            return IsExecutable(command) ? Path.GetFullPath(command) : null;
        }

        var path = environment.GetValueOrDefault("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        foreach (var directory in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, command);
            if (IsExecutable(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool IsExecutable(string path)
    {
        try
        {
            return File.Exists(path) && (OperatingSystem.IsWindows() ||
                (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
