using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using DistTrain.Coordinator;
using DistTrain.Launcher.Detection;
using DistTrain.Launcher.Planning;
using DistTrain.Launcher.Settings;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DistTrain.Launcher.Agent;

/// <summary>
/// Starts the coordinator inside the agent when this node hosts it, or makes sure the one at the
/// endpoint answers before any worker starts.
/// </summary>
public static class CoordinatorHost
{
    /// <summary>
    /// Hosts the coordinator when the plan says so (or, in auto mode, when the endpoint is this machine
    /// and its port is free), and returns it with the plan whose endpoint has the port it listens on;
    /// otherwise returns null and the plan once a TCP connection to the endpoint succeeds.
    /// </summary>
    /// <exception cref="PreflightException">The port is taken, the host does not resolve, or the coordinator does not answer within <c>--rdzv-timeout</c>.</exception>
    public static async Task<(CoordinatorServer? Server, LaunchPlan Plan)> StartOrReachAsync(LaunchPlan plan, Action<string> log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(log);
        var hosts = plan.HostsCoordinator ?? await IsThisMachineAsync(plan.Coordinator, cancellationToken).ConfigureAwait(false);
        if (hosts)
        {
            try
            {
                var server = await StartAsync(plan, cancellationToken).ConfigureAwait(false);
                log($"hosting the coordinator on {plan.BindAddress}:{server.Address.Port} (nnodes {plan.Nnodes}); metrics on {new Uri(server.HttpAddress!, "metrics")}, dashboard on {new Uri(server.HttpAddress!, "/")}");
                return (server, plan with { Coordinator = plan.Coordinator with { Port = server.Address.Port } });
            }
            catch (Exception ex) when (IsAddressInUse(ex))
            {
                if (plan.HostsCoordinator == true)
                {
                    throw new PreflightException(
                        $"This node must host the coordinator on port {plan.Coordinator.Port}, but the port is taken ({ex.Message}). " +
                        "Choose another port with --rdzv-endpoint HOST:PORT, or stop what listens there.");
                }

                log($"port {plan.Coordinator.Port} is taken here; connecting to the coordinator already there.");
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or SocketException)
            {
                throw new PreflightException($"The coordinator could not start on {plan.BindAddress}:{plan.Coordinator.Port}: {ex.Message}");
            }
        }

        await WaitUntilReachableAsync(plan.Coordinator, plan.RdzvTimeout, log, cancellationToken).ConfigureAwait(false);
        return (null, plan);
    }

    private static Task<CoordinatorServer> StartAsync(LaunchPlan plan, CancellationToken cancellationToken) =>
        CoordinatorServer.StartAsync(
            o =>
            {
                o.Port = plan.Coordinator.Port;
                o.BindAddress = plan.BindAddress;
                o.Token = plan.Token;
                o.Rendezvous.MinNodes = plan.Nnodes.Min;
                o.Rendezvous.MaxNodes = plan.Nnodes.Max;
                o.Rendezvous.LastCallTimeout = plan.LastCallTimeout;
                o.Rendezvous.JoinTimeout = plan.RdzvTimeout;
                o.Heartbeat.Interval = plan.HeartbeatInterval;
                o.Checkpoints.Directory = plan.CheckpointDir;
                o.Checkpoints.KeepLast = plan.KeepCheckpoints;
            },
            // A host that fails to start (the port is taken: expected in auto mode) is reported by the
            // exception, as one line; the host's own log entry would print its stack trace. The checkpoint
            // registry's warnings (a corrupted checkpoint skipped at recovery, naming the file) are shown.
            logging => logging.SetMinimumLevel(LogLevel.Error).AddFilter("Microsoft.Extensions.Hosting", LogLevel.None)
                .AddFilter("DistTrain.Coordinator.Checkpoints", LogLevel.Warning),
            services => services.AddSingleton<IHostLifetime, AgentLifetime>(),
            cancellationToken);

    private static bool IsAddressInUse(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse })
            {
                return true;
            }
        }

        return ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Whether the endpoint's host is this machine: loopback, its host name, or one of its addresses.</summary>
    internal static async Task<bool> IsThisMachineAsync(Endpoint endpoint, CancellationToken cancellationToken)
    {
        var host = endpoint.Host;
        if (endpoint.IsLoopback || string.Equals(host, Environment.MachineName, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            return false;
        }

        var local = NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .ToHashSet();
        return addresses.Any(a => IPAddress.IsLoopback(a) || local.Contains(a));
    }

    /// <summary>Connects to the endpoint over TCP until it accepts, at most <paramref name="timeout"/>; says every 10 s what it waits for.</summary>
    internal static async Task WaitUntilReachableAsync(Endpoint endpoint, TimeSpan timeout, Action<string> log, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        var nextNote = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(10);
        string last;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(TimeSpan.FromSeconds(5));
                await client.ConnectAsync(endpoint.Host, endpoint.Port, attempt.Token).ConfigureAwait(false);
                return;
            }
            catch (SocketException ex)
            {
                last = ex.SocketErrorCode == SocketError.HostNotFound || ex.SocketErrorCode == SocketError.TryAgain
                    ? $"the host name '{endpoint.Host}' does not resolve"
                    : $"{ex.SocketErrorCode}: {ex.Message}";
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                last = "the connection attempt timed out";
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                throw new PreflightException(
                    $"The coordinator at {endpoint} cannot be reached after {timeout.TotalSeconds:0.#} s ({last}). " +
                    "Check --rdzv-endpoint, that the node hosting the coordinator runs (or `disttrain coordinator` there), and firewalls; " +
                    "--rdzv-timeout sets how long to wait.");
            }

            if (DateTimeOffset.UtcNow >= nextNote)
            {
                log($"waiting for the coordinator at {endpoint} ({last})...");
                nextNote = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(10);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The embedded coordinator's lifetime: the agent decides when it stops, not Ctrl+C.</summary>
    private sealed class AgentLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
