using System.Security.Cryptography;
using System.Text;
using DistTrain.Rpc;
using Microsoft.Extensions.Logging;

namespace DistTrain.Coordinator.Service;

/// <summary>
/// Checks the job's token on every call, before its body is read. The comparison hashes both sides
/// and compares the hashes in constant time, so neither the content nor the length of the token
/// leaks through timing.
/// </summary>
internal sealed partial class BearerTokenAuthorizer(string token, ILogger<BearerTokenAuthorizer> logger)
{
    private const string Scheme = "Bearer ";
    private readonly byte[] _expected = SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>Returns null to let the call in, or the UNAUTHENTICATED error to answer with.</summary>
    public RpcException? Authorize(RpcCallContext context)
    {
        var header = context.RequestHeaders.GetValue("authorization");
        if (header is null)
        {
            LogRejected(context.Method, context.Peer, "no authorization metadata");
            return new RpcException(StatusCode.Unauthenticated, "The call carries no 'authorization: Bearer <token>' metadata; the coordinator requires the job's token.");
        }

        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            LogRejected(context.Method, context.Peer, "not a bearer token");
            return new RpcException(StatusCode.Unauthenticated, "The authorization metadata must have the form 'Bearer <token>'.");
        }

        Span<byte> actual = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(header[Scheme.Length..]), actual);
        if (!CryptographicOperations.FixedTimeEquals(actual, _expected))
        {
            LogRejected(context.Method, context.Peer, "wrong token");
            return new RpcException(StatusCode.Unauthenticated, "The bearer token is not this job's token.");
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected a call to {Method} from {Peer}: {Why}")]
    private partial void LogRejected(string method, string peer, string why);
}
