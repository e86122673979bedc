using DistTrain.Coordinator.Membership;
using DistTrain.Coordinator.Rendezvous;
using DistTrain.Coordinator.Store;

namespace DistTrain.Coordinator;

/// <summary>
/// Everything the coordinator can be told, bound from the <c>Coordinator</c> configuration section
/// or set in code through <c>AddCoordinator(options =&gt; ...)</c>; validated when the host starts.
/// </summary>
public sealed class CoordinatorOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "Coordinator";

    /// <summary>The TCP port to listen on; 0 picks a free one. torchrun's default is 29400.</summary>
    public int Port { get; set; } = 29400;

    /// <summary>The address to bind; loopback unless told otherwise (0.0.0.0 or :: listens on every interface).</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>The job's token: every call must carry <c>authorization: Bearer &lt;token&gt;</c>.</summary>
    public string Token { get; set; } = "";

    /// <summary>The largest request message accepted, in bytes; larger ones get RESOURCE_EXHAUSTED.</summary>
    public int MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Rendezvous settings (<c>--nnodes MIN:MAX</c>, timeouts).</summary>
    public RendezvousOptions Rendezvous { get; set; } = new();

    /// <summary>Heartbeat and failure-detection settings.</summary>
    public HeartbeatOptions Heartbeat { get; set; } = new();

    /// <summary>Key-value store settings.</summary>
    public StoreOptions Store { get; set; } = new();
}
