using DistTrain.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DistTrain.Coordinator.Tests.Support;

/// <summary>A coordinator on a loopback port chosen by the system, with clients that carry its token.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    public const string Token = "test-token-0123456789";

    private readonly List<CoordinatorClient> _clients = [];

    private TestServer(CoordinatorServer server, FakeTimeProvider? time)
    {
        Server = server;
        Time = time;
    }

    public CoordinatorServer Server { get; }

    /// <summary>The fake clock the coordinator runs on, when the test asked for one.</summary>
    public FakeTimeProvider? Time { get; }

    public string Address => Server.Address.ToString();

    public static async Task<TestServer> StartAsync(int minNodes = 1, int maxNodes = 1, Action<CoordinatorOptions>? configure = null, FakeTimeProvider? time = null)
    {
        var server = await CoordinatorServer.StartAsync(
            o =>
            {
                o.Port = 0;
                o.Token = Token;
                o.Rendezvous.MinNodes = minNodes;
                o.Rendezvous.MaxNodes = maxNodes;
                configure?.Invoke(o);
            },
            logging => logging.SetMinimumLevel(LogLevel.Warning).AddFilter("DistTrain.Coordinator", LogLevel.Critical).AddFilter("DistTrain.Rpc", LogLevel.Critical),
            services =>
            {
                if (time is not null)
                {
                    services.AddSingleton<TimeProvider>(time);
                }
            });
        return new TestServer(server, time);
    }

    /// <summary>A client with the right token (or <paramref name="token"/>), disposed with the server.</summary>
    public CoordinatorClient Client(string token = Token)
    {
        var client = new CoordinatorClient(Address, token);
        _clients.Add(client);
        return client;
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
