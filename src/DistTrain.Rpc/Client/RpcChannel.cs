using System.Runtime.CompilerServices;
using DistTrain.Rpc.Client;
using DistTrain.Rpc.Protocol;
using Google.Protobuf;

namespace DistTrain.Rpc;

/// <summary>
/// A client for one gRPC server address, over HTTP/2 (cleartext for <c>http://</c>, TLS for
/// <c>https://</c>). Thread-safe; share one per server. Every failure of a call surfaces as an
/// <see cref="RpcException"/>: the server's status and message, DEADLINE_EXCEEDED when the deadline
/// passes, CANCELLED when the caller cancels, UNAVAILABLE when the server cannot be reached.
/// </summary>
public sealed class RpcChannel : IDisposable
{
    private readonly bool _ownsHandler;
    private readonly HttpMessageHandler _handler;

    private RpcChannel(Uri address, RpcChannelOptions options)
    {
        Address = address;
        Options = options;
        _ownsHandler = options.HttpHandler is null;
        _handler = options.HttpHandler ?? CreateHandler(options);
        Invoker = new HttpMessageInvoker(_handler, disposeHandler: false);
    }

    /// <summary>The server's base address.</summary>
    public Uri Address { get; }

    /// <summary>The channel's settings.</summary>
    public RpcChannelOptions Options { get; }

    internal HttpMessageInvoker Invoker { get; }

    /// <summary>Creates a channel to <paramref name="address"/>, for example <c>http://127.0.0.1:29400</c>. Connects lazily, on the first call.</summary>
    /// <exception cref="ArgumentException">The address is not an absolute http or https URI, or an option is out of range.</exception>
    public static RpcChannel ForAddress(string address, RpcChannelOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"The address '{address}' must be an absolute http:// or https:// URI.", nameof(address));
        options ??= new RpcChannelOptions();
        if (options.MaxReceiveMessageSize <= 0 || options.MaxSendMessageSize <= 0)
            throw new ArgumentException($"The message size limits ({options.MaxReceiveMessageSize}, {options.MaxSendMessageSize}) must be greater than 0.", nameof(options));
        options.RetryPolicy.Validate();
        if (options.KeepAlivePingDelay is { } delay && (delay < TimeSpan.FromSeconds(1) || options.KeepAlivePingTimeout < TimeSpan.FromSeconds(1)))
            throw new ArgumentException(
                $"The keep-alive ping delay ({delay}) and timeout ({options.KeepAlivePingTimeout}) must each be at least 1 second.", nameof(options));
        return new RpcChannel(uri, options);
    }

    /// <summary>
    /// Makes a unary call and returns the response. Waits for at most the call's deadline;
    /// an idempotent call is retried after UNAVAILABLE as <see cref="RpcChannelOptions.RetryPolicy"/> says.
    /// </summary>
    /// <exception cref="RpcException">The call did not end with OK.</exception>
    public async Task<TResponse> UnaryAsync<TRequest, TResponse>(RpcMethod<TRequest, TResponse> method, TRequest request, RpcCallOptions? options = null)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(request);
        var settings = Settle(options, options?.CancellationToken ?? default);
        return await WithRetriesAsync(settings, async () =>
        {
            using var call = await ClientCall.StartAsync(this, method.FullName, request, settings).ConfigureAwait(false);
            var bytes = await call.ReadMessageAsync().ConfigureAwait(false)
                ?? throw new RpcException(StatusCode.Internal, $"{method.FullName} ended with OK but sent no response message.");
            if (await call.ReadMessageAsync().ConfigureAwait(false) is not null)
                throw new RpcException(StatusCode.Internal, $"{method.FullName} is unary but sent more than one response message.");
            return MessageFraming.Parse(method.ResponseParser, bytes, "response");
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Makes a server-streaming call. Nothing is sent until enumeration starts; each element is one
    /// response. Enumeration ends when the server ends the call with OK and throws
    /// <see cref="RpcException"/> for any other status. Stopping early (or cancelling through
    /// <see cref="RpcCallOptions.CancellationToken"/> or <c>WithCancellation</c>) cancels the call on the server.
    /// An idempotent call is retried after UNAVAILABLE only while no response has arrived.
    /// </summary>
    public IAsyncEnumerable<TResponse> ServerStreaming<TRequest, TResponse>(RpcMethod<TRequest, TResponse> method, TRequest request, RpcCallOptions? options = null)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(request);
        return StreamAsync(method, request, options);
    }

    private static SocketsHttpHandler CreateHandler(RpcChannelOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = options.ConnectTimeout,
        };
        if (options.KeepAlivePingDelay is { } delay)
        {
            handler.KeepAlivePingDelay = delay;
            handler.KeepAlivePingTimeout = options.KeepAlivePingTimeout;
            handler.KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests;
        }
        return handler;
    }

    /// <summary>Closes the connections the channel opened. Calls in flight fail.</summary>
    public void Dispose()
    {
        Invoker.Dispose();
        if (_ownsHandler)
            _handler.Dispose();
    }

    private async IAsyncEnumerable<TResponse> StreamAsync<TRequest, TResponse>(RpcMethod<TRequest, TResponse> method, TRequest request, RpcCallOptions? options,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>, new()
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(options?.CancellationToken ?? default, cancellationToken);
        var settings = Settle(options, linked.Token);
        using var call = await WithRetriesAsync(settings, () => ClientCall.StartAsync(this, method.FullName, request, settings)).ConfigureAwait(false);
        while (await call.ReadMessageAsync().ConfigureAwait(false) is { } bytes)
            yield return MessageFraming.Parse(method.ResponseParser, bytes, "response");
    }

    private ClientCallSettings Settle(RpcCallOptions? options, CancellationToken cancellationToken)
    {
        var metadata = new List<RpcMetadataEntry>(Options.DefaultMetadata);
        if (options?.Metadata is { } extra)
            metadata.AddRange(extra);
        return new ClientCallSettings(options?.EffectiveDeadline(DateTimeOffset.UtcNow), metadata, cancellationToken, options?.Idempotent ?? false);
    }

    private async Task<T> WithRetriesAsync<T>(ClientCallSettings settings, Func<Task<T>> attempt)
    {
        var policy = Options.RetryPolicy;
        var attempts = settings.Idempotent ? policy.MaxAttempts : 1;
        for (var n = 1; ; n++)
        {
            try
            {
                return await attempt().ConfigureAwait(false);
            }
            catch (RpcException ex) when (ex.Status == StatusCode.Unavailable && n < attempts)
            {
                var delay = policy.NextDelay(n);
                // A retry that could not start before the deadline is pointless; report the real failure.
                if (settings.Deadline is { } deadline && DateTimeOffset.UtcNow + delay >= deadline)
                    throw;
                try
                {
                    await Task.Delay(delay, settings.CancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    throw new RpcException(StatusCode.Cancelled, "Call cancelled by the client.");
                }
            }
        }
    }
}
