using DistTrain.Launcher.Cli;

namespace DistTrain.Launcher.Agent;

/// <summary>What <c>disttrain run</c> does once its settings are valid.</summary>
public static class AgentCommand
{
    /// <summary>Runs the agent; returns the process's exit code.</summary>
    public static Task<int> RunAsync(RunSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Task.FromResult(ExitCodes.Success);
    }
}
