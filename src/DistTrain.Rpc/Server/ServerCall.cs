using DistTrain.Rpc.Protocol;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace DistTrain.Rpc.Server;

/// <summary>
/// The state of one call on the server: its context, its deadline, and the response, which is
/// written under a lock so that the deadline can end the call while a handler is still writing.
/// </summary>
internal sealed class ServerCall : IDisposable
{
    private readonly HttpContext _http;
    private readonly RpcServerOptions _options;
    private readonly TimeSpan? _timeout;
    private readonly CancellationTokenSource _cts;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private CancellationTokenSource? _deadlineCts;
    private CancellationTokenRegistration _deadlineRegistration;
    private Task? _deadlineTask;
    private bool _messageSent;
    private bool _completed;

    public ServerCall(HttpContext http, string method, RpcServerOptions options, TimeSpan? timeout, CancellationToken stopping)
    {
        _http = http;
        _options = options;
        // A timeout too long to time is no deadline at all.
        _timeout = timeout < DeadlineTimer.MaxTimer ? timeout : null;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping);
        var headers = new RpcMetadata();
        foreach (var (name, values) in http.Request.Headers)
        {
            if (GrpcProtocol.IsReservedHeader(name))
                continue;
            foreach (var value in values)
            {
                if (value is not null)
                    headers.AddFromWire(name, value);
            }
        }
        DateTimeOffset? deadline = _timeout is { } t ? DeadlineTimer.After(DateTimeOffset.UtcNow, t) : null;
        Context = new RpcCallContext(http, method, headers, deadline, _cts.Token);
    }

    public RpcCallContext Context { get; }

    /// <summary>Whether the call ended because its deadline passed.</summary>
    public bool DeadlineExceeded => _deadlineCts?.IsCancellationRequested == true;

    /// <summary>Whether the client went away (reset the stream or closed the connection).</summary>
    public bool ClientGone => _http.RequestAborted.IsCancellationRequested;

    /// <summary>Arms the deadline: when it passes, the handler's token is cancelled and the client gets DEADLINE_EXCEEDED.</summary>
    public void StartDeadline()
    {
        if (_timeout is not { } timeout)
            return;
        _deadlineCts = new CancellationTokenSource(timeout);
        _deadlineRegistration = _deadlineCts.Token.Register(() => _deadlineTask = OnDeadlineAsync());
    }

    /// <summary>Reads the single request message of a unary or server-streaming call.</summary>
    public async Task<T> ReadRequestAsync<T>(MessageParser<T> parser)
        where T : IMessage<T>
    {
        var body = _http.Request.Body;
        var encoding = _http.Request.Headers[GrpcProtocol.EncodingHeader].ToString();
        var bytes = await MessageFraming.ReadAsync(body, _options.MaxReceiveMessageSize, encoding, Context.CancellationToken).ConfigureAwait(false)
            ?? throw new RpcException(StatusCode.Internal, "The request ended without a message; this method takes exactly one.");
        if (await MessageFraming.ReadAsync(body, _options.MaxReceiveMessageSize, encoding, Context.CancellationToken).ConfigureAwait(false) is not null)
            throw new RpcException(StatusCode.Internal, "The request held more than one message; this method takes exactly one.");
        return MessageFraming.Parse(parser, bytes, "request");
    }

    /// <summary>Sends one response message.</summary>
    public async Task WriteMessageAsync(IMessage message, CancellationToken cancellationToken)
    {
        var frame = MessageFraming.Encode(message, _options.MaxSendMessageSize);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(Context.CancellationToken, cancellationToken);
        await _gate.WaitAsync(linked.Token).ConfigureAwait(false);
        try
        {
            if (_completed)
                throw new OperationCanceledException("The call has already completed.", Context.CancellationToken);
            // Set before writing: once any byte may have gone out, the status must go in trailers.
            _messageSent = true;
            await _http.Response.Body.WriteAsync(frame, linked.Token).ConfigureAwait(false);
            await _http.Response.Body.FlushAsync(linked.Token).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Ends the call with a status: in trailers after messages, or in the headers of a
    /// trailers-only response. Only the first completion counts; nothing is sent to a client that left.
    /// </summary>
    public async Task CompleteAsync(StatusCode status, string detail, IEnumerable<RpcMetadataEntry> trailers)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_completed)
                return;
            _completed = true;
            if (ClientGone)
                return;
            var response = _http.Response;
            Action<string, string> add = _messageSent
                ? (name, value) => response.AppendTrailer(name, value)
                : (name, value) => response.Headers.Append(name, value);
            add(GrpcProtocol.StatusHeader, ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (!string.IsNullOrEmpty(detail))
                add(GrpcProtocol.MessageHeader, GrpcStatusMessage.Encode(detail));
            foreach (var entry in trailers)
                add(entry.Key, RpcMetadata.ToWireValue(entry));
            await response.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException && ClientGone)
        {
            // The client reset the stream while the status was going out; there is no one to tell.
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Disarms the deadline and waits for a deadline completion already under way.</summary>
    public async Task StopDeadlineAsync()
    {
        // Disposing the registration waits for a callback that is running, so _deadlineTask is settled after it.
        _deadlineRegistration.Dispose();
        if (_deadlineTask is { } task)
            await task.ConfigureAwait(false);
    }

    public void Dispose()
    {
        _deadlineRegistration.Dispose();
        _deadlineCts?.Dispose();
        _cts.Dispose();
        _gate.Dispose();
    }

    private async Task OnDeadlineAsync()
    {
        // Cancel first: a handler blocked in a write (a slow reader) holds the lock until its write gives up.
        try
        {
            _cts.Cancel();
        }
        catch (AggregateException)
        {
            // A handler's own cancellation callback threw; the call still ends with DEADLINE_EXCEEDED.
        }
        await CompleteAsync(StatusCode.DeadlineExceeded, "Deadline Exceeded", Context.ResponseTrailers).ConfigureAwait(false);
    }
}
