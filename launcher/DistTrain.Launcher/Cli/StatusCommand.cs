using System.CommandLine;
using System.Globalization;
using System.Text;
using DistTrain.Protocol;
using DistTrain.Protocol.V1;
using Grpc.Core;

namespace DistTrain.Launcher.Cli;

/// <summary><c>disttrain status</c>: asks a coordinator what the job is doing (round, nodes, ranks, health).</summary>
public static class StatusCommand
{
    /// <summary>Creates the <c>status</c> command.</summary>
    public static Command Create()
    {
        var command = new Command("status", "Asks a coordinator what the job is doing: its round, nodes, ranks and health.");
        var endpoint = new Option<string?>("--rdzv-endpoint") { Description = $"The coordinator, HOST:PORT. Default 127.0.0.1:29400. [env: {FlagVariables.RdzvEndpoint}]", HelpName = "HOST:PORT" };
        var token = new Option<string?>("--token") { Description = $"The job's token. [env: {FlagVariables.Token}]", HelpName = "TOKEN" };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for the coordinator's answer.", DefaultValueFactory = _ => 10 };
        command.Options.Add(endpoint);
        command.Options.Add(token);
        command.Options.Add(timeout);
        command.SetAction(async (result, cancellationToken) =>
        {
            var environment = ProcessEnvironment.Snapshot();
            var endpointText = result.GetValue(endpoint) ?? environment.GetValueOrDefault(FlagVariables.RdzvEndpoint) ?? $"127.0.0.1:{RunSettings.DefaultPort}";
            var tokenText = result.GetValue(token) ?? environment.GetValueOrDefault(FlagVariables.Token);
            Endpoint parsed;
            try
            {
                parsed = RunSettingsParser.ParseEndpoint(endpointText);
            }
            catch (FormatException ex)
            {
                await Console.Error.WriteLineAsync($"disttrain status: --rdzv-endpoint ('{endpointText}') {ex.Message}.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            if (string.IsNullOrEmpty(tokenText))
            {
                await Console.Error.WriteLineAsync($"disttrain status: the job's token is needed: --token or {FlagVariables.Token}.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(result.GetValue(timeout)));
            try
            {
                using var client = new CoordinatorClient(parsed.ToUri(), tokenText);
                await foreach (var e in client.WatchAsync("disttrain-status", deadline.Token).ConfigureAwait(false))
                {
                    if (e.EventCase == WatchEvent.EventOneofCase.Snapshot)
                    {
                        await Console.Out.WriteAsync(Describe(parsed, e.Round, e.Snapshot)).ConfigureAwait(false);
                        return ExitCodes.Success;
                    }
                }

                await Console.Error.WriteLineAsync($"disttrain status: the coordinator at {parsed} closed the stream without a snapshot.").ConfigureAwait(false);
                return ExitCodes.Rendezvous;
            }
            catch (RpcException ex)
            {
                await Console.Error.WriteLineAsync($"disttrain status: the coordinator at {parsed} answered {ex.StatusCode}: {ex.Status.Detail}").ConfigureAwait(false);
                return ExitCodes.Rendezvous;
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync($"disttrain status: no answer from the coordinator at {parsed} within {result.GetValue(timeout)} s.").ConfigureAwait(false);
                return ExitCodes.Rendezvous;
            }
        });
        return command;
    }

    /// <summary>The text <c>disttrain status</c> prints for a snapshot.</summary>
    internal static string Describe(Endpoint endpoint, ulong round, Snapshot snapshot)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        if (snapshot.State == RoundState.Closed && snapshot.World is { } world)
        {
            text.AppendLine(c, $"Coordinator {endpoint}: round {round} running, {world.Nodes.Count} node(s), world size {world.WorldSize}.");
            foreach (var node in world.Nodes)
            {
                var last = node.BaseRank + node.LocalWorldSize - 1;
                var ranks = node.LocalWorldSize == 1 ? $"rank {node.BaseRank}" : $"ranks {node.BaseRank}-{last}";
                text.AppendLine(c, $"  node {node.NodeRank}  {node.NodeId}  {ranks}  host {(node.Host.Length == 0 ? "?" : node.Host)}  healthy (heartbeating)");
            }
        }
        else
        {
            text.AppendLine(c, $"Coordinator {endpoint}: round {round} gathering nodes, {snapshot.JoinedNodes} joined; no workers run until it closes.");
        }

        return text.ToString();
    }
}
