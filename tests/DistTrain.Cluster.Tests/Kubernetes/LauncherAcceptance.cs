using DistTrain.Launcher.Cli;

namespace DistTrain.Cluster.Tests.Kubernetes;

/// <summary>
/// Whether the launcher itself accepts the containers' command lines: its own command tree parses them
/// (no unknown flag, no missing value), and for <c>disttrain run</c> its own settings parser accepts every
/// value, the container's literal variables included (a Secret's value is stood in for by a valid one).
/// </summary>
internal static class LauncherAcceptance
{
    public static IReadOnlyList<string> Problems(IReadOnlyList<Manifest> objects)
    {
        var problems = new List<string>();
        foreach (var workload in objects.Where(o => o.Kind is "Deployment" or "Job" or "StatefulSet"))
        {
            foreach (var commandLine in workload.Containers.Select(DisttrainCommandLine.Of).OfType<DisttrainCommandLine>())
            {
                var parsed = LauncherCommand.Create().Parse(commandLine.Arguments.ToArray());
                problems.AddRange(parsed.Errors.Select(e => $"{workload}: disttrain rejects `{string.Join(' ', commandLine.Arguments)}`: {e.Message}"));
                if (commandLine.Subcommand != "run" || parsed.Errors.Count > 0)
                    continue;

                problems.AddRange(commandLine.RunSettings().Errors.Select(e => $"{workload}: disttrain run: {e}"));
            }
        }

        return problems;
    }
}
