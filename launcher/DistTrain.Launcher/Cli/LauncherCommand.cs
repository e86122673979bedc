using System.CommandLine;
using DistTrain.Launcher.Agent;
using DistTrain.Coordinator.Hosting;

namespace DistTrain.Launcher.Cli;

/// <summary>The <c>disttrain</c> root command: <c>run</c>, <c>coordinator</c> and <c>status</c>.</summary>
public static class LauncherCommand
{
    /// <summary>Builds the command tree.</summary>
    public static RootCommand Create()
    {
        var root = new RootCommand(
            "DistTrain: distributed data-parallel training for .NET.\n" +
            "  disttrain run --standalone --nproc-per-node 2 -- dotnet train.dll\n" +
            "  disttrain run --nnodes 2 --rdzv-endpoint node0:29400 --token $TOKEN -- ./train");
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(CoordinatorCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        return root;
    }

    /// <summary>
    /// Parses and runs <paramref name="args"/>. A wrong flag or value prints what is wrong and
    /// exits with <see cref="ExitCodes.Usage"/> (2). The agent handles SIGINT and SIGTERM itself.
    /// </summary>
    public static async Task<int> InvokeAsync(string[] args)
    {
        var result = Create().Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                await Console.Error.WriteLineAsync($"disttrain: {error.Message}").ConfigureAwait(false);
            }

            var name = result.CommandResult.Command is RootCommand ? "disttrain" : $"disttrain {result.CommandResult.Command.Name}";
            await Console.Error.WriteLineAsync($"See '{name} --help'.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        return await result.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }).ConfigureAwait(false);
    }
}
