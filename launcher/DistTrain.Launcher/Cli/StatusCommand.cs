using System.CommandLine;
using System.Globalization;
using System.Text;
using DistTrain.Launcher.Agent;
using DistTrain.Launcher.Settings;
using DistTrain.Protocol;
using DistTrain.Protocol.V1;
using Grpc.Core;

namespace DistTrain.Launcher.Cli;

/// <summary><c>disttrain status</c>: asks a coordinator what the job is doing (round, nodes, ranks, heartbeats) and how it trains (each rank's step, samples/s, step time and health).</summary>
public static class StatusCommand
{
    /// <summary>Creates the <c>status</c> command.</summary>
    public static Command Create()
    {
        var command = new Command("status", "Asks a coordinator what the job is doing: its round, nodes, ranks and when each node last heartbeat, and each rank's step, samples/s, step time and health.");
        var given = FlagOptions.AddTo(command, StatusSettings.Flags);
        command.SetAction(async (result, cancellationToken) =>
        {
            var settings = new StatusSettings();
            var errors = FlagParser.Apply(settings, StatusSettings.Flags, given(result), ProcessEnvironment.Snapshot()).ToList();
            if (errors.Count == 0 && settings.Token is null)
            {
                errors.Add($"the job's token is needed: --token or {RunFlags.Token.Variable}.");
            }

            if (errors.Count > 0)
            {
                foreach (var error in errors)
                {
                    await Console.Error.WriteLineAsync($"disttrain status: {error}").ConfigureAwait(false);
                }

                return ExitCodes.Usage;
            }

            return await AskAsync(settings, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> AskAsync(StatusSettings settings, CancellationToken cancellationToken)
    {
        var endpoint = settings.Endpoint;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.Timeout);
        try
        {
            using var client = new CoordinatorClient(endpoint.ToUri(), settings.Token!);
            await foreach (var e in client.WatchAsync("disttrain-status", deadline.Token).ConfigureAwait(false))
            {
                if (e.EventCase == WatchEvent.EventOneofCase.Snapshot)
                {
                    await Console.Out.WriteAsync(Describe(endpoint, e.Round, e.Snapshot)).ConfigureAwait(false);
                    await Console.Out.WriteAsync(await TelemetryAsync(client, deadline.Token).ConfigureAwait(false)).ConfigureAwait(false);
                    return ExitCodes.Success;
                }
            }

            await Console.Error.WriteLineAsync($"disttrain status: the coordinator at {endpoint} closed the stream without a snapshot.").ConfigureAwait(false);
            return ExitCodes.Rendezvous;
        }
        catch (RpcException ex)
        {
            await Console.Error.WriteLineAsync($"disttrain status: the coordinator at {endpoint} answered {ex.StatusCode}: {ex.Status.Detail}").ConfigureAwait(false);
            return ExitCodes.Rendezvous;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"disttrain status: no answer from the coordinator at {endpoint} within {settings.Timeout.TotalSeconds:0.###} s.").ConfigureAwait(false);
            return ExitCodes.Rendezvous;
        }
    }

    /// <summary>The live table, or a line saying why there is none (a coordinator older than telemetry).</summary>
    private static async Task<string> TelemetryAsync(CoordinatorClient client, CancellationToken cancellationToken)
    {
        try
        {
            return TelemetryTable.Format(await client.Telemetry.GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false));
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Unimplemented)
        {
            return "Telemetry: this coordinator does not serve it (UNIMPLEMENTED); it predates DistTrain's telemetry.\n";
        }
    }

    /// <summary>The text <c>disttrain status</c> prints for a snapshot: each node with how long ago it last heartbeat, as the coordinator measured it.</summary>
    internal static string Describe(Endpoint endpoint, ulong round, Snapshot snapshot)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        if (snapshot.State == RoundState.Closed && snapshot.World is { } world)
        {
            text.AppendLine(c, $"Coordinator {endpoint}: round {round} running, {world.Nodes.Count} node(s), world size {world.WorldSize}.");
            var interval = world.HeartbeatInterval?.ToTimeSpan() ?? TimeSpan.Zero;
            var silence = snapshot.Silence.ToDictionary(s => s.NodeId, s => s.SilentFor.ToTimeSpan(), StringComparer.Ordinal);
            foreach (var node in world.Nodes)
            {
                var last = node.BaseRank + node.LocalWorldSize - 1;
                var ranks = node.LocalWorldSize == 1 ? $"rank {node.BaseRank}" : $"ranks {node.BaseRank}-{last}";
                text.AppendLine(c, $"  node {node.NodeRank}  {node.NodeId}  {ranks}  host {(node.Host.Length == 0 ? "?" : node.Host)}  {Health(silence.GetValueOrDefault(node.NodeId), interval, world.HeartbeatMisses)}");
            }
        }
        else
        {
            text.AppendLine(c, $"Coordinator {endpoint}: round {round} gathering nodes, {snapshot.JoinedNodes} joined; no workers run until it closes.");
        }

        return text.ToString();
    }

    /// <summary>Healthy while at most one heartbeat is late; after that, how long until the coordinator declares the node dead.</summary>
    private static string Health(TimeSpan silentFor, TimeSpan interval, int misses)
    {
        var c = CultureInfo.InvariantCulture;
        var silent = string.Create(c, $"silent for {silentFor.TotalSeconds:0.0} s");
        return silentFor <= interval * 2
            ? $"{silent} (healthy)"
            : string.Create(c, $"{silent} (late: heartbeats every {interval.TotalSeconds:0.#} s, dead after {(interval * misses).TotalSeconds:0.#} s)");
    }
}
