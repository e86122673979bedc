using DistTrain.Rpc.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace DistTrain.Rpc.Server;

/// <summary>
/// The part of serving a call that does not depend on its message types: protocol checks,
/// deadline, authorization, and turning whatever the handler did into a status.
/// </summary>
internal abstract class ServerMethodHandler
{
    private readonly ServerShared _shared;

    protected ServerMethodHandler(string path, ServerShared shared)
    {
        Path = path;
        _shared = shared;
    }

    /// <summary>The route this handler serves.</summary>
    public string Path { get; }

    protected RpcServerOptions Options => _shared.Options;

    /// <summary>Whether <see cref="RpcServerOptions.Authorize"/> runs before the handler.</summary>
    protected virtual bool RequiresAuthorization => true;

    /// <summary>The ASP.NET Core request delegate of the route.</summary>
    public async Task HandleAsync(HttpContext http)
    {
        if (!await CheckProtocolAsync(http).ConfigureAwait(false))
            return;
        // The message size limit is ours to enforce, per message, so Kestrel's body limit is lifted.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
            bodySize.MaxRequestBodySize = null;

        TimeSpan? timeout = null;
        var timeoutHeader = http.Request.Headers[GrpcProtocol.TimeoutHeader].ToString();
        if (timeoutHeader.Length > 0)
        {
            if (!GrpcTimeout.TryParse(timeoutHeader, out var parsed))
            {
                await WriteTrailersOnlyAsync(http, 200, StatusCode.Internal, $"Invalid grpc-timeout header value '{timeoutHeader}'.").ConfigureAwait(false);
                return;
            }
            timeout = parsed;
        }

        using var call = new ServerCall(http, http.Request.Path.Value ?? Path, Options, timeout, _shared.Stopping);
        try
        {
            call.StartDeadline();
            if (RequiresAuthorization && Options.Authorize?.Invoke(call.Context) is { } denied)
                throw denied;
            await InvokeAsync(call).ConfigureAwait(false);
            await call.CompleteAsync(StatusCode.Ok, string.Empty, call.Context.ResponseTrailers).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            var (status, detail, trailers) = Classify(ex, call);
            await call.CompleteAsync(status, detail, trailers).ConfigureAwait(false);
        }
        finally
        {
            await call.StopDeadlineAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Reads the request, runs the user's handler and writes its responses.</summary>
    protected abstract Task InvokeAsync(ServerCall call);

    private (StatusCode, string, IEnumerable<RpcMetadataEntry>) Classify(Exception ex, ServerCall call)
    {
        var trailers = call.Context.ResponseTrailers;
        if (ex is RpcException rpc)
            return (rpc.Status, rpc.Detail, trailers.Concat(rpc.Trailers));
        if (call.DeadlineExceeded)
            return (StatusCode.DeadlineExceeded, "Deadline Exceeded", trailers);
        if (call.ClientGone)
            return (StatusCode.Cancelled, "Call cancelled by the client.", trailers);
        if (_shared.Stopping.IsCancellationRequested && ex is OperationCanceledException)
            return (StatusCode.Unavailable, "The server is shutting down.", trailers);
        _shared.Logger.LogError(ex, "Handler of {Method} for {Peer} failed", Path, call.Context.Peer);
        return (StatusCode.Internal, "Exception was thrown by handler.", trailers);
    }

    private static async Task<bool> CheckProtocolAsync(HttpContext http)
    {
        var request = http.Request;
        if (!HttpMethods.IsPost(request.Method))
        {
            await WriteTrailersOnlyAsync(http, StatusCodes.Status405MethodNotAllowed, StatusCode.Internal,
                $"gRPC requires POST, not {request.Method}.").ConfigureAwait(false);
            return false;
        }
        if (!HttpProtocol.IsHttp2(request.Protocol))
        {
            await WriteTrailersOnlyAsync(http, StatusCodes.Status426UpgradeRequired, StatusCode.Internal,
                $"gRPC requires HTTP/2, not {request.Protocol}.").ConfigureAwait(false);
            return false;
        }
        if (!GrpcProtocol.IsGrpcContentType(request.ContentType))
        {
            await WriteTrailersOnlyAsync(http, StatusCodes.Status415UnsupportedMediaType, StatusCode.Internal,
                $"Content-Type '{request.ContentType}' is not supported; gRPC uses {GrpcProtocol.ContentType}.").ConfigureAwait(false);
            return false;
        }
        http.Response.ContentType = GrpcProtocol.ContentType;
        http.Response.Headers[GrpcProtocol.AcceptEncodingHeader] = GrpcProtocol.SupportedEncodings;
        return true;
    }

    private static Task WriteTrailersOnlyAsync(HttpContext http, int httpStatus, StatusCode status, string detail)
    {
        var response = http.Response;
        response.StatusCode = httpStatus;
        response.ContentType = GrpcProtocol.ContentType;
        response.Headers[GrpcProtocol.StatusHeader] = ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers[GrpcProtocol.MessageHeader] = GrpcStatusMessage.Encode(detail);
        return response.CompleteAsync();
    }
}
