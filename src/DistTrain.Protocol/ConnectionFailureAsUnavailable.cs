using System.Net.Sockets;

namespace DistTrain.Protocol;

/// <summary>
/// Makes a connection the coordinator closed before it answered (its <c>--max-connections</c> reached,
/// or it is restarting) fail with UNAVAILABLE, so that the retry policy of
/// <see cref="CoordinatorServiceConfig"/> sees it. Grpc.Net.Client maps an HttpRequestException to
/// UNAVAILABLE only when an IOException or SocketException is inside it; SocketsHttpHandler sometimes
/// reports an unfinished HTTP/2 handshake without one (seen 4 times in 60 under load), which became
/// INTERNAL and failed the call at once. Errors that a retry cannot cure keep their own status.
/// </summary>
internal sealed class ConnectionFailureAsUnavailable(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException error) when (IsConnectionLost(error))
        {
            throw new HttpRequestException(error.HttpRequestError, error.Message, new IOException(error.Message, error));
        }
    }

    private static bool IsConnectionLost(HttpRequestException error) =>
        error.HttpRequestError is HttpRequestError.Unknown or HttpRequestError.ConnectionError
            or HttpRequestError.InvalidResponse or HttpRequestError.ResponseEnded
        && !HasTransportCause(error);

    private static bool HasTransportCause(Exception error)
    {
        for (var cause = error.InnerException; cause is not null; cause = cause.InnerException)
        {
            if (cause is IOException or SocketException)
            {
                return true;
            }
        }

        return false;
    }
}
