using DistTrain.Protocol;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DistTrain.Coordinator.Tests.Support;

/// <summary>A coordinator on a loopback port chosen by the system, with clients that carry its token.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    public const string Token = "test-token-0123456789";

    private readonly List<IDisposable> _clients = [];

    private TestServer(CoordinatorServer server, FakeTimeProvider? time, LogRecorder logs)
    {
        Server = server;
        Time = time;
        Logs = logs;
    }

    public CoordinatorServer Server { get; }

    /// <summary>The fake clock the coordinator runs on, when the test asked for one.</summary>
    public FakeTimeProvider? Time { get; }

    /// <summary>What the coordinator logged (warnings and above).</summary>
    public LogRecorder Logs { get; }

    public string Address => Server.Address.ToString();

    public int Port => Server.Address.Port;

    /// <param name="minNodes">The rendezvous' minimum.</param>
    /// <param name="maxNodes">The rendezvous' maximum.</param>
    /// <param name="configure">More options.</param>
    /// <param name="time">A fake clock for the coordinator.</param>
    /// <param name="services">Replaces services before the coordinator registers its own.</param>
    public static async Task<TestServer> StartAsync(
        int minNodes = 1, int maxNodes = 1, Action<CoordinatorOptions>? configure = null, FakeTimeProvider? time = null, Action<IServiceCollection>? services = null)
    {
        var logs = new LogRecorder();
        var server = await CoordinatorServer.StartAsync(
            o =>
            {
                o.Port = 0;
                o.Token = Token;
                o.Rendezvous.MinNodes = minNodes;
                o.Rendezvous.MaxNodes = maxNodes;
                configure?.Invoke(o);
            },
            logging => logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Warning),
            s =>
            {
                if (time is not null)
                {
                    s.AddSingleton<TimeProvider>(time);
                }

                services?.Invoke(s);
            });
        return new TestServer(server, time, logs);
    }

    /// <summary>A client with the right token (or <paramref name="token"/>), disposed with the server.</summary>
    public CoordinatorClient Client(string token = Token, Action<GrpcChannelOptions>? configure = null)
    {
        var client = new CoordinatorClient(Address, token, configure);
        _clients.Add(client);
        return client;
    }

    /// <summary>A plain Grpc.Net.Client channel to the coordinator (no token), disposed with the server.</summary>
    public GrpcChannel Channel()
    {
        var channel = GrpcChannel.ForAddress(Address, new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { UseProxy = false } });
        _clients.Add(channel);
        return channel;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Server.DisposeAsync();
    }
}
