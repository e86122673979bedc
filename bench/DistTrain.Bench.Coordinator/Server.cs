using DistTrain.Coordinator;
using DistTrain.Protocol;
using Microsoft.Extensions.Logging;

namespace DistTrain.Bench.Coordinator;

/// <summary>An in-process coordinator on a free loopback port, quiet, with clients spread over several channels.</summary>
internal static class Server
{
    public const string Token = "bench-token-0123456789";

    public static Task<CoordinatorServer> StartAsync(int minNodes, int maxNodes, TimeSpan heartbeatInterval) =>
        CoordinatorServer.StartAsync(
            o =>
            {
                o.Port = 0;
                o.Token = Token;
                o.Rendezvous.MinNodes = minNodes;
                o.Rendezvous.MaxNodes = maxNodes;
                o.MaxConcurrentConnections = Math.Max(o.MaxConcurrentConnections, 2L * maxNodes);
                o.Heartbeat.Interval = heartbeatInterval;
            },
            logging => logging.SetMinimumLevel(LogLevel.Warning));

    /// <summary>Whether clients keep the retry policy of <see cref="CoordinatorServiceConfig"/> (<c>--no-retry-policy</c> drops it, to show what it costs).</summary>
    public static bool RetryPolicy { get; set; } = true;

    public static CoordinatorClient[] Clients(string address, int count) =>
        Enumerable.Range(0, count).Select(_ => new CoordinatorClient(address, Token, RetryPolicy ? null : o => o.ServiceConfig = null)).ToArray();
}
