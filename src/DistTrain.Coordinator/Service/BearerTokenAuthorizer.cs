using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DistTrain.Coordinator.Service;

/// <summary>
/// Checks the job's token of a call from its headers alone. The comparison hashes both sides and
/// compares the hashes in constant time, so neither the content nor the length of the token leaks
/// through timing.
/// </summary>
internal sealed partial class BearerTokenAuthorizer(string token, ILogger<BearerTokenAuthorizer> logger)
{
    private const string Scheme = "Bearer ";
    private readonly byte[] _expected = SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>Returns null to let the call in, or why it is refused (the UNAUTHENTICATED message).</summary>
    public string? Refusal(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return Rejected(context, "no authorization metadata",
                "The call carries no 'authorization: Bearer <token>' metadata; the coordinator requires the job's token.");
        }

        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return Rejected(context, "not a bearer token", "The authorization metadata must have the form 'Bearer <token>'.");
        }

        Span<byte> actual = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(header[Scheme.Length..]), actual);
        return CryptographicOperations.FixedTimeEquals(actual, _expected)
            ? null
            : Rejected(context, "wrong token", "The bearer token is not this job's token; every node and worker must use the same one.");
    }

    private string Rejected(HttpContext context, string why, string message)
    {
        LogRejected(context.Request.Path.Value ?? "", context.Connection.RemoteIpAddress?.ToString() ?? "?", why);
        return message;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected a call to {Method} from {Peer}: {Why}")]
    private partial void LogRejected(string method, string peer, string why);
}
