using DistTrain.Coordinator.Checkpoints;
using DistTrain.Coordinator.Membership;
using DistTrain.Coordinator.Rendezvous;
using DistTrain.Coordinator.Store;
using DistTrain.Coordinator.Telemetry;

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

    /// <summary>
    /// The TCP port of the HTTP/1.1 listener beside the gRPC port, on the same bind address (and with the
    /// same certificate when TLS is on): Prometheus text on <c>/metrics</c>, and whatever else is mapped
    /// through <c>MapCoordinatorHttp</c>. 0 (the default) picks a free port, reported as
    /// <see cref="CoordinatorServer.HttpAddress"/> and printed at start; <see cref="NoHttp"/> turns the listener off.
    /// </summary>
    public int HttpPort { get; set; }

    /// <summary>The <see cref="HttpPort"/> that turns the HTTP/1.1 listener off.</summary>
    public const int NoHttp = -1;

    /// <summary>The address to bind; loopback unless told otherwise (0.0.0.0 or :: listens on every interface).</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>The shortest token accepted, in characters.</summary>
    public const int MinTokenLength = 8;

    /// <summary>The job's token (at least <see cref="MinTokenLength"/> characters): every call must carry <c>authorization: Bearer &lt;token&gt;</c>.</summary>
    public string Token { get; set; } = "";

    /// <summary>The largest request message accepted, in bytes; larger ones get RESOURCE_EXHAUSTED (calls without the token get UNAUTHENTICATED first).</summary>
    public int MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>The largest response message sent, in bytes (a 10,000-node world is about 0.4 MB); a larger one fails its call with RESOURCE_EXHAUSTED.</summary>
    public int MaxSendMessageSize { get; set; } = 64 * 1024 * 1024;

    /// <summary>
    /// The most TCP connections open at once; more are closed as soon as they arrive. Every agent and
    /// every worker holds one (a job of N nodes with G workers each needs N × (G + 1)). The limit
    /// bounds what idle or half-open connections can cost an exposed coordinator.
    /// </summary>
    public long MaxConcurrentConnections { get; set; } = 16_384;

    /// <summary>TLS: off unless a certificate is given.</summary>
    public CoordinatorTlsOptions Tls { get; set; } = new();

    /// <summary>Whether to serve gRPC server reflection (for grpcurl and similar tools); off by default.</summary>
    public bool EnableReflection { get; set; }

    /// <summary>Rendezvous settings (<c>--nnodes MIN:MAX</c>, timeouts).</summary>
    public RendezvousOptions Rendezvous { get; set; } = new();

    /// <summary>Heartbeat and failure-detection settings.</summary>
    public HeartbeatOptions Heartbeat { get; set; } = new();

    /// <summary>Key-value store settings.</summary>
    public StoreOptions Store { get; set; } = new();

    /// <summary>Telemetry settings: the report interval asked of the ranks, the straggler and stuck rules, the history.</summary>
    public TelemetryOptions Telemetry { get; set; } = new();

    /// <summary>Checkpoint settings: the checkpoint directory the coordinator commits to (<c>--checkpoint-dir</c>); none by default.</summary>
    public CheckpointRegistryOptions Checkpoints { get; set; } = new();
}
