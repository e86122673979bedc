using System.Net;
using DistTrain.Rpc.Protocol;
using Google.Protobuf;

namespace DistTrain.Rpc.Client;

/// <summary>
/// One attempt of a call on the client: sends the request, checks the response headers, reads
/// the response messages, and reads the status from the trailers. Disposing it before the end
/// resets the HTTP/2 stream, which the server sees as cancellation.
/// </summary>
internal sealed class ClientCall : IDisposable
{
    private readonly RpcChannel _channel;
    private readonly ClientCallSettings _settings;
    private readonly CancellationTokenSource _cts;
    private HttpResponseMessage? _response;
    private Stream? _body;
    private string? _encoding;
    private bool _finished;

    private ClientCall(RpcChannel channel, ClientCallSettings settings)
    {
        _channel = channel;
        _settings = settings;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(settings.CancellationToken);
    }

    /// <summary>Sends the request and waits for the response headers.</summary>
    /// <exception cref="RpcException">The call failed before any message: trailers-only error, HTTP error, connection failure, deadline, cancellation.</exception>
    public static async Task<ClientCall> StartAsync(RpcChannel channel, string path, IMessage request, ClientCallSettings settings)
    {
        var call = new ClientCall(channel, settings);
        try
        {
            await call.SendAsync(path, request).ConfigureAwait(false);
            return call;
        }
        catch (Exception ex)
        {
            var mapped = call.Map(ex);
            call.Dispose();
            throw mapped;
        }
    }

    /// <summary>
    /// The next response message, or null once the server ended the call with OK.
    /// </summary>
    /// <exception cref="RpcException">The server's non-OK status, or a transport, size, deadline or cancellation failure.</exception>
    public async Task<byte[]?> ReadMessageAsync()
    {
        if (_finished)
            return null;
        try
        {
            var message = await MessageFraming.ReadAsync(_body!, _channel.Options.MaxReceiveMessageSize, _encoding, _cts.Token).ConfigureAwait(false);
            if (message is not null)
                return message;
            _finished = true;
            ThrowIfNotOk(_response!.TrailingHeaders, "trailers");
            return null;
        }
        catch (Exception ex)
        {
            throw Map(ex);
        }
    }

    public void Dispose()
    {
        _body?.Dispose();
        _response?.Dispose();
        _cts.Dispose();
    }

    private async Task SendAsync(string path, IMessage request)
    {
        var frame = MessageFraming.Encode(request, _channel.Options.MaxSendMessageSize);
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(_channel.Address, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(frame),
        };
        message.Content.Headers.TryAddWithoutValidation("content-type", GrpcProtocol.ContentType);
        message.Headers.TryAddWithoutValidation("te", "trailers");
        message.Headers.TryAddWithoutValidation("user-agent", GrpcProtocol.UserAgent);
        message.Headers.TryAddWithoutValidation(GrpcProtocol.AcceptEncodingHeader, GrpcProtocol.SupportedEncodings);
        if (_settings.Deadline is { } deadline)
        {
            var remaining = deadline - DateTimeOffset.UtcNow;
            if (remaining <= TimeSpan.Zero)
                throw new RpcException(StatusCode.DeadlineExceeded, "Deadline Exceeded");
            message.Headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcTimeout.Format(remaining));
            DeadlineTimer.Arm(_cts, remaining);
        }
        foreach (var entry in _settings.Metadata)
            message.Headers.TryAddWithoutValidation(entry.Key, RpcMetadata.ToWireValue(entry));

        _response = await _channel.Invoker.SendAsync(message, _cts.Token).ConfigureAwait(false);
        CheckHeaders(_response);
        _body = await _response.Content.ReadAsStreamAsync(_cts.Token).ConfigureAwait(false);
    }

    private void CheckHeaders(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var status = response.Headers.TryGetValues(GrpcProtocol.StatusHeader, out var values)
                ? GrpcProtocol.ParseStatus(values.First())
                : GrpcProtocol.FromHttpStatus((int)response.StatusCode);
            throw new RpcException(status, $"Bad gRPC response. HTTP status code: {(int)response.StatusCode}", ReadMetadata(response.Headers));
        }
        if (response.Headers.Contains(GrpcProtocol.StatusHeader))
        {
            // Trailers-only: the status came in the headers and no message follows.
            _finished = true;
            ThrowIfNotOk(response.Headers, "headers");
            return;
        }
        var contentType = response.Content.Headers.ContentType?.ToString();
        if (!GrpcProtocol.IsGrpcContentType(contentType))
            throw new RpcException(StatusCode.Internal, $"Bad gRPC response. Invalid content-type value: {contentType}");
        if (response.Headers.TryGetValues(GrpcProtocol.EncodingHeader, out var encodings))
            _encoding = encodings.FirstOrDefault();
    }

    private static void ThrowIfNotOk(System.Net.Http.Headers.HttpHeaders headers, string where)
    {
        if (!headers.TryGetValues(GrpcProtocol.StatusHeader, out var values))
            throw new RpcException(StatusCode.Internal, $"The response ended without a grpc-status in its {where}.");
        var status = GrpcProtocol.ParseStatus(values.First());
        if (status == StatusCode.Ok)
            return;
        var detail = headers.TryGetValues(GrpcProtocol.MessageHeader, out var messages)
            ? GrpcStatusMessage.Decode(messages.First())
            : string.Empty;
        throw new RpcException(status, detail, ReadMetadata(headers));
    }

    private static RpcMetadata ReadMetadata(System.Net.Http.Headers.HttpHeaders headers)
    {
        var metadata = new RpcMetadata();
        foreach (var (name, values) in headers.NonValidated)
        {
            if (GrpcProtocol.IsReservedHeader(name))
                continue;
            foreach (var value in values)
                metadata.AddFromWire(name, value);
        }
        return metadata;
    }

    private RpcException Map(Exception ex)
    {
        if (ex is RpcException rpc)
            return rpc;
        if (_settings.CancellationToken.IsCancellationRequested)
            return new RpcException(StatusCode.Cancelled, "Call cancelled by the client.", innerException: ex);
        // The linked source fires for the caller's token or the deadline; the caller's was checked above.
        if (_cts.IsCancellationRequested)
            return new RpcException(StatusCode.DeadlineExceeded, "Deadline Exceeded", innerException: ex);
        for (var inner = ex; inner is not null; inner = inner.InnerException)
        {
            if (inner is HttpProtocolException protocol)
                return new RpcException(FromHttp2Error(protocol), $"HTTP/2 failure: {protocol.Message}", innerException: ex);
        }
        return ex switch
        {
            HttpRequestException or IOException or System.Net.Sockets.SocketException =>
                new RpcException(StatusCode.Unavailable, $"Error talking to {_channel.Address}: {ex.Message}", innerException: ex),
            OperationCanceledException => new RpcException(StatusCode.Cancelled, "The call was cancelled.", innerException: ex),
            ObjectDisposedException => new RpcException(StatusCode.Unavailable, "The channel was disposed.", innerException: ex),
            _ => new RpcException(StatusCode.Unknown, $"The call failed: {ex.Message}", innerException: ex),
        };
    }

    // RFC 9113 error codes. A reset of this one stream maps as gRPC's HTTP/2 transport spec says;
    // a failure of the whole connection (GOAWAY with an error, unanswered keep-alive ping) is a
    // transport failure, UNAVAILABLE, as in grpc. .NET tells the two apart only in its message.
    private static StatusCode FromHttp2Error(HttpProtocolException error) => error.ErrorCode switch
    {
        0x7 => StatusCode.Unavailable,
        0x8 => StatusCode.Cancelled,
        0xb => StatusCode.ResourceExhausted,
        0xc => StatusCode.PermissionDenied,
        _ when error.Message.Contains("reset the stream", StringComparison.Ordinal) => StatusCode.Internal,
        _ => StatusCode.Unavailable,
    };
}
