using System.CommandLine;
using DistTrain.Launcher.Agent;

namespace DistTrain.Launcher.Cli;

/// <summary>
/// <c>disttrain run [options] -- &lt;program&gt; [args]</c>: the agent of one node, with torchrun's flags
/// where the idea is the same. Every flag can also be set through its <c>DISTTRAIN_*</c> variable.
/// </summary>
public static class RunCommand
{
    /// <summary>One flag: its names, its variable, what it takes and what it does.</summary>
    private sealed record Flag(string Name, string Variable, string? HelpName, string Description, string? Alias = null);

    private static readonly Flag[] Flags =
    [
        new("--nproc-per-node", FlagVariables.NprocPerNode, "N|gpu|cpu|auto", "Workers on this node: a number, one per GPU, one per CPU core, or GPUs if any else cores. Default 1 (under SLURM with one task per GPU: 1 per task).", "--nproc_per_node"),
        new("--nnodes", FlagVariables.Nnodes, "N|MIN:MAX", "Number of nodes, or a range for an elastic job. Default 1 (under SLURM: the allocation's nodes or tasks).", null),
        new("--node-rank", FlagVariables.NodeRank, "RANK", "This node's rank; default: the coordinator assigns one (SLURM and Kubernetes give it).", "--node_rank"),
        new("--rdzv-endpoint", FlagVariables.RdzvEndpoint, "HOST:PORT", "The coordinator. Default: SLURM's first host, or 127.0.0.1, port 29400.", "--rdzv_endpoint"),
        new("--rdzv-id", FlagVariables.RdzvId, "ID", "The job's id, shown in logs and given to workers. Default: SLURM's job id, the Kubernetes job, or 'none'.", "--rdzv_id"),
        new("--max-restarts", FlagVariables.MaxRestarts, "N", "Times the node's workers are restarted after a failure before the job fails. Default 0.", "--max_restarts"),
        new("--monitor-interval", FlagVariables.MonitorInterval, "SECONDS", "How often workers are checked and the progress line refreshed. Default 0.5.", "--monitor_interval"),
        new("--log-dir", FlagVariables.LogDir, "DIR", "Keep each rank's stdout and stderr in DIR/<rdzv-id>/attempt_<n>/rank_<r>/. Default: not kept.", "--log_dir"),
        new("--tee", FlagVariables.Tee, "0|1|2|3", "Streams shown on the console, prefixed with the rank: 0 none, 1 stdout, 2 stderr, 3 both. Default 3.", null),
        new("--token", FlagVariables.Token, "TOKEN", "The job's token (8+ characters) for coordinator calls. Required unless --standalone, which makes one.", null),
        new("--node-id", FlagVariables.NodeId, "ID", "This node's id in the rendezvous. Default: from the host name (and node rank).", null),
        new("--local-addr", FlagVariables.LocalAddr, "HOST", "Where other nodes reach this one. Default: the address the coordinator sees.", "--local_addr"),
        new("--grace-period", FlagVariables.GracePeriod, "SECONDS", "Time workers get between SIGTERM and SIGKILL when they are stopped. Default 10.", null),
        new("--rdzv-timeout", FlagVariables.RdzvTimeout, "SECONDS", "How long reaching the coordinator and joining a round may take. Default 600.", null),
        new("--last-call-timeout", FlagVariables.LastCallTimeout, "SECONDS", "When this agent hosts the coordinator: how long a round waits for more nodes once it has MIN. Default 30.", null),
        new("--heartbeat-interval", FlagVariables.HeartbeatInterval, "SECONDS", "When this agent hosts the coordinator: seconds between heartbeats (3 missed: dead). Default 5.", null),
        new("--coordinator", FlagVariables.Coordinator, "auto|host|connect", "Whether this agent hosts the coordinator at --rdzv-endpoint. Default auto: SLURM task 0, the pod the endpoint names, or a free local port.", null),
        new("--progress", FlagVariables.Progress, "auto|on|off", "The live progress line. Default auto: when stdout is a terminal.", null),
    ];

    /// <summary>Creates the <c>run</c> command.</summary>
    public static Command Create()
    {
        var command = new Command("run", "Runs a training program on this node's workers: joins the job's rendezvous, starts one worker per GPU (or N), supervises and restarts them.");
        var options = new Dictionary<string, Option<string?>>(StringComparer.Ordinal);
        foreach (var flag in Flags)
        {
            var option = flag.Alias is null ? new Option<string?>(flag.Name) : new Option<string?>(flag.Name, flag.Alias);
            option.Description = $"{flag.Description} [env: {flag.Variable}]";
            option.HelpName = flag.HelpName;
            options[flag.Name] = option;
            command.Options.Add(option);
        }

        var standalone = new Option<bool>("--standalone")
        {
            Description = $"One node, with the coordinator embedded on a free loopback port and a fresh token. [env: {FlagVariables.Standalone}]",
        };
        command.Options.Add(standalone);
        var program = new Argument<string[]>("program")
        {
            Description = "After '--': the program and its arguments: a command, a .dll (run with dotnet), or a project directory (built once).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        command.Arguments.Add(program);

        command.SetAction(async (result, cancellationToken) =>
        {
            string? Lookup(string name)
            {
                if (name == "--standalone")
                {
                    return result.GetResult(standalone) is { Implicit: false } ? (result.GetValue(standalone) ? "true" : "false") : null;
                }

                return options.TryGetValue(name, out var option) && result.GetResult(option) is { Implicit: false } ? result.GetValue(option) ?? "" : null;
            }

            var words = result.GetValue(program) ?? [];
            var parser = new RunSettingsParser(Lookup, ProcessEnvironment.Snapshot());
            var settings = parser.Parse(words.FirstOrDefault(), words.Skip(1).ToArray());
            if (settings is null)
            {
                foreach (var error in parser.Errors)
                {
                    await Console.Error.WriteLineAsync($"disttrain run: {error}").ConfigureAwait(false);
                }

                await Console.Error.WriteLineAsync("See 'disttrain run --help'.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            return await AgentCommand.RunAsync(settings, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
