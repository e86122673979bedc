using Grpc.AspNetCore.Server;
using Grpc.Core;

namespace DistTrain.Coordinator.Service;

/// <summary>
/// A call's context whose <see cref="ServerCallContext.CancellationToken"/> also fires when the
/// coordinator stops; everything else is the original call's. It carries the call's HttpContext in
/// <see cref="ServerCallContext.UserState"/> (key <c>__HttpContext</c>), where Grpc.AspNetCore looks for
/// it when a context is not its own.
/// </summary>
internal sealed class StoppingCallContext : ServerCallContext, IDisposable
{
    private const string HttpContextKey = "__HttpContext";

    private readonly ServerCallContext _call;
    private readonly CancellationTokenSource _linked;

    public StoppingCallContext(ServerCallContext call, CancellationToken stopping)
    {
        _call = call;
        _linked = CancellationTokenSource.CreateLinkedTokenSource(call.CancellationToken, stopping);
        call.UserState[HttpContextKey] = call.GetHttpContext();
    }

    protected override string MethodCore => _call.Method;

    protected override string HostCore => _call.Host;

    protected override string PeerCore => _call.Peer;

    protected override DateTime DeadlineCore => _call.Deadline;

    protected override Metadata RequestHeadersCore => _call.RequestHeaders;

    protected override CancellationToken CancellationTokenCore => _linked.Token;

    protected override Metadata ResponseTrailersCore => _call.ResponseTrailers;

    protected override Status StatusCore
    {
        get => _call.Status;
        set => _call.Status = value;
    }

    protected override WriteOptions? WriteOptionsCore
    {
        get => _call.WriteOptions;
        set => _call.WriteOptions = value;
    }

    protected override AuthContext AuthContextCore => _call.AuthContext;

    protected override IDictionary<object, object> UserStateCore => _call.UserState;

    public void Dispose() => _linked.Dispose();

    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => _call.CreatePropagationToken(options);

    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => _call.WriteResponseHeadersAsync(responseHeaders);
}
