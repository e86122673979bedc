using Microsoft.Extensions.Logging;

namespace DistTrain.Rpc.Server;

/// <summary>What every method handler of a host shares.</summary>
/// <param name="Options">The server's options.</param>
/// <param name="Logger">Where handler failures are logged.</param>
/// <param name="Stopping">Fires when the host begins to shut down; calls still running then end with UNAVAILABLE.</param>
internal sealed record ServerShared(RpcServerOptions Options, ILogger Logger, CancellationToken Stopping);
