using DistTrain.Coordinator.Membership;
using DistTrain.Coordinator.Rendezvous;
using DistTrain.Coordinator.Store;
using Microsoft.Extensions.Options;

namespace DistTrain.Coordinator.Tests.Support;

/// <summary>The coordinator's domain objects wired together over a fake clock, as the host wires them.</summary>
internal sealed class Domain : IDisposable
{
    public Domain(int minNodes, int maxNodes, Action<CoordinatorOptions>? configure = null)
    {
        Options = new CoordinatorOptions { Token = "test-token" };
        Options.Rendezvous.MinNodes = minNodes;
        Options.Rendezvous.MaxNodes = maxNodes;
        configure?.Invoke(Options);
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        Stores = new StoreNamespaces(Time);
        Rendezvous = new DynamicRendezvous(options, Stores, Hub, Time, Log);
        Monitor = new HeartbeatMonitor(options, Rendezvous, Time);
    }

    public FakeTimeProvider Time { get; } = new();

    /// <summary>What the rendezvous logged.</summary>
    public CapturingLogger<DynamicRendezvous> Log { get; } = new();

    public CoordinatorOptions Options { get; }

    public WatchHub Hub { get; } = new();

    public StoreNamespaces Stores { get; }

    public DynamicRendezvous Rendezvous { get; }

    public HeartbeatMonitor Monitor { get; }

    public Task<RendezvousWorld> Join(string nodeId, int workers = 1, long knownRound = 0, CancellationToken cancellationToken = default) =>
        Rendezvous.JoinAsync(new JoinRequest(nodeId, workers, $"{nodeId}.local", knownRound), cancellationToken);

    /// <summary>Joins every node, lets the last call pass if the round did not close at once, and returns the world they all got.</summary>
    public async Task<RendezvousWorld> CloseWith(params string[] nodeIds)
    {
        var joins = nodeIds.Select(id => Join(id, knownRound: Rendezvous.Current.Round - 1)).ToArray();
        if (Rendezvous.Current.State == RoundState.Open)
        {
            Time.Advance(Options.Rendezvous.LastCallTimeout);
        }

        var worlds = await Task.WhenAll(joins).WaitAsync(TimeSpan.FromSeconds(5));
        return worlds[0];
    }

    public void Dispose() => Rendezvous.Dispose();
}
