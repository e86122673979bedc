using System.CommandLine;
using Microsoft.Extensions.Options;

namespace DistTrain.Coordinator.Hosting;

/// <summary>
/// The command line of a standalone coordinator: <c>--port 29400 --http-port 0 --bind 127.0.0.1 --token X --nnodes 1:2</c>,
/// and optionally TLS (<c>--tls-cert</c>, <c>--tls-key</c>, <c>--tls-client-ca</c>), limits, reflection and the checkpoint directory (<c>--checkpoint-dir</c>).
/// The launcher adds the same command as <c>disttrain coordinator</c>.
/// </summary>
public static class CoordinatorCommand
{
    /// <summary>The environment variable read when <c>--token</c> is not given.</summary>
    public const string TokenVariable = "DISTTRAIN_TOKEN";

    /// <summary>Creates the command; <paramref name="name"/> is its name as a subcommand.</summary>
    public static Command Create(string name = "coordinator") =>
        AddTo(new Command(name, "Runs the job's coordinator: rendezvous, failure detection, the key-value store, the data plan and checkpoints."));

    /// <summary>Adds the coordinator's options and action to <paramref name="command"/> (a root command, for the standalone executable).</summary>
    public static Command AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var defaults = new CoordinatorOptions();
        var port = new Option<int>("--port") { Description = "TCP port to listen on (0 picks a free one).", DefaultValueFactory = _ => defaults.Port };
        var httpPort = new Option<int>("--http-port") { Description = $"TCP port of the HTTP/1.1 listener (/metrics): 0 picks a free one (printed at start), {CoordinatorOptions.NoHttp} turns it off.", DefaultValueFactory = _ => defaults.HttpPort };
        var bind = new Option<string>("--bind") { Description = "Address to bind; 0.0.0.0 listens on every interface.", DefaultValueFactory = _ => defaults.BindAddress };
        var token = new Option<string?>("--token") { Description = $"The job's token (default: ${TokenVariable})." };
        var nnodes = new Option<string>("--nnodes") { Description = "Number of nodes, N or MIN:MAX.", DefaultValueFactory = _ => "1:1" };
        var lastCall = new Option<double>("--last-call-timeout") { Description = "Seconds a round waits for more nodes once it has MIN.", DefaultValueFactory = _ => defaults.Rendezvous.LastCallTimeout.TotalSeconds };
        var joinTimeout = new Option<double>("--join-timeout") { Description = "Seconds a join waits for its round to close.", DefaultValueFactory = _ => defaults.Rendezvous.JoinTimeout.TotalSeconds };
        var interval = new Option<double>("--heartbeat-interval") { Description = "Seconds between a node's heartbeats.", DefaultValueFactory = _ => defaults.Heartbeat.Interval.TotalSeconds };
        var misses = new Option<int>("--heartbeat-misses") { Description = "Heartbeats a node may miss before it is declared dead.", DefaultValueFactory = _ => defaults.Heartbeat.MissesBeforeDead };
        var tlsCert = new Option<string?>("--tls-cert") { Description = "Serve TLS with this certificate: a PEM file (with --tls-key) or a PKCS#12 file. Default: cleartext HTTP/2 (h2c).", HelpName = "PATH" };
        var tlsKey = new Option<string?>("--tls-key") { Description = "The PEM private key of --tls-cert.", HelpName = "PATH" };
        var tlsClientCa = new Option<string?>("--tls-client-ca") { Description = "Require client certificates signed by a CA in this PEM file (mutual TLS).", HelpName = "PATH" };
        var maxConnections = new Option<long>("--max-connections") { Description = "Most TCP connections open at once (every agent and worker holds one).", DefaultValueFactory = _ => defaults.MaxConcurrentConnections };
        var maxMessage = new Option<int>("--max-message-size") { Description = "Largest request accepted, in bytes.", DefaultValueFactory = _ => defaults.MaxReceiveMessageSize };
        var reflection = new Option<bool>("--reflection") { Description = "Serve gRPC server reflection (for grpcurl). Off by default." };
        var checkpointDir = new Option<string?>("--checkpoint-dir") { Description = "The checkpoint directory this coordinator commits to and recovers from at start (shared storage). Default: no checkpoints.", HelpName = "DIR" };
        var keepCheckpoints = new Option<int>("--keep-checkpoints") { Description = "Committed checkpoints to keep (the newest).", DefaultValueFactory = _ => defaults.Checkpoints.KeepLast };

        foreach (var option in new Option[] { port, httpPort, bind, token, nnodes, lastCall, joinTimeout, interval, misses, tlsCert, tlsKey, tlsClientCa, maxConnections, maxMessage, reflection, checkpointDir, keepCheckpoints })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, cancellationToken) =>
        {
            NodeRange range;
            try
            {
                range = NodeRange.Parse(result.GetRequiredValue(nnodes));
            }
            catch (FormatException ex)
            {
                await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
                return 2;
            }

            void Configure(CoordinatorOptions o)
            {
                o.Port = result.GetValue(port);
                o.HttpPort = result.GetValue(httpPort);
                o.BindAddress = result.GetRequiredValue(bind);
                o.Token = result.GetValue(token) ?? Environment.GetEnvironmentVariable(TokenVariable) ?? "";
                o.Rendezvous.MinNodes = range.Min;
                o.Rendezvous.MaxNodes = range.Max;
                o.Rendezvous.LastCallTimeout = TimeSpan.FromSeconds(result.GetValue(lastCall));
                o.Rendezvous.JoinTimeout = TimeSpan.FromSeconds(result.GetValue(joinTimeout));
                o.Heartbeat.Interval = TimeSpan.FromSeconds(result.GetValue(interval));
                o.Heartbeat.MissesBeforeDead = result.GetValue(misses);
                o.Tls.CertificatePath = result.GetValue(tlsCert);
                o.Tls.KeyPath = result.GetValue(tlsKey);
                o.Tls.ClientCaPath = result.GetValue(tlsClientCa);
                o.MaxConcurrentConnections = result.GetValue(maxConnections);
                o.MaxReceiveMessageSize = result.GetValue(maxMessage);
                o.EnableReflection = result.GetValue(reflection);
                o.Checkpoints.Directory = result.GetValue(checkpointDir);
                o.Checkpoints.KeepLast = result.GetValue(keepCheckpoints);
            }

            try
            {
                await using var server = await CoordinatorServer.StartAsync(Configure, cancellationToken: cancellationToken).ConfigureAwait(false);
                await Console.Out.WriteLineAsync($"Coordinator listening on {server.Address} (nnodes {range}); Ctrl+C stops it.").ConfigureAwait(false);
                if (server.HttpAddress is { } http)
                {
                    await Console.Out.WriteLineAsync($"Metrics (Prometheus text) on {new Uri(http, "metrics")}, dashboard on {new Uri(http, "/")}").ConfigureAwait(false);
                }
                await server.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
                return 0;
            }
            catch (OptionsValidationException ex)
            {
                foreach (var failure in ex.Failures)
                {
                    await Console.Error.WriteLineAsync(failure).ConfigureAwait(false);
                }

                return 2;
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException)
            {
                // A certificate that cannot be used, or an address that cannot be bound.
                await Console.Error.WriteLineAsync($"The coordinator could not start: {ex.Message}").ConfigureAwait(false);
                return 2;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return 0;
            }
        });
        return command;
    }
}
