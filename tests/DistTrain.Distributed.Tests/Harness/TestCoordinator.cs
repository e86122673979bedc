using DistTrain.Coordinator;
using DistTrain.Protocol;
using DistTrain.Protocol.Launch;
using Microsoft.Extensions.Logging;

namespace DistTrain.Distributed.Tests.Harness;

/// <summary>
/// A coordinator inside the test process on a free loopback port, with one node already joined the
/// way an agent joins, so that a round is closed and its store namespace exists.
/// </summary>
public sealed class TestCoordinator : IAsyncDisposable
{
    /// <summary>The job token the workers present.</summary>
    public const string Token = "test-job-token";

    private readonly CoordinatorServer _server;
    private readonly CoordinatorClient _client;
    private readonly int _workers;
    private readonly ulong _round;

    private TestCoordinator(CoordinatorServer server, CoordinatorClient client, int workers, ulong round, string storeNamespace)
    {
        _server = server;
        _client = client;
        _workers = workers;
        _round = round;
        StoreNamespace = storeNamespace;
    }

    /// <summary>Where the workers reach it.</summary>
    public Uri Address => _server.Address;

    /// <summary>The closed round's store namespace (DISTTRAIN_STORE_NAMESPACE).</summary>
    public string StoreNamespace { get; }

    /// <summary>Starts a coordinator (committing checkpoints to <paramref name="checkpointDir"/>, when given) and joins one node running <paramref name="workers"/> workers.</summary>
    public static async Task<TestCoordinator> StartAsync(int workers, string? checkpointDir = null)
    {
        var server = await CoordinatorServer.StartAsync(
            o =>
            {
                o.Port = 0;
                o.Token = Token;
                o.Rendezvous.MinNodes = 1;
                o.Rendezvous.MaxNodes = 1;
                o.Heartbeat.Interval = TimeSpan.FromMinutes(10); // no agent heartbeats here
                o.Checkpoints.Directory = checkpointDir;
            },
            logging => logging.ClearProviders());
        var client = new CoordinatorClient(server.Address.ToString(), Token);
        try
        {
            var world = await client.JoinAsync("test-node", workers, host: "127.0.0.1", timeout: TimeSpan.FromSeconds(30));
            return new TestCoordinator(server, client, workers, world.Round, world.StoreNamespace);
        }
        catch
        {
            client.Dispose();
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Who worker <paramref name="rank"/> of the joined node is, as its agent would launch it: one node, first start.</summary>
    public LaunchIdentity Identity(int rank) => new()
    {
        Rank = rank,
        LocalRank = rank,
        WorldSize = _workers,
        LocalWorldSize = _workers,
        Coordinator = Address,
        JobToken = Token,
        StoreNamespace = StoreNamespace,
        Round = _round,
    };

    /// <summary>A client of this coordinator (for tests that use the store themselves).</summary>
    public CoordinatorClient Client => _client;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }
}
