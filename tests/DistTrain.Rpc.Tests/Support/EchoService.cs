using DistTrain.Rpc.Tests.Echo;
using Google.Protobuf;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace DistTrain.Rpc.Tests.Support;

/// <summary>The test service's methods and a C# implementation that records what it saw.</summary>
internal sealed class EchoService
{
    public static ServiceDescriptor Descriptor { get; } = EchoReflection.Descriptor.Services.Single(s => s.Name == "Echo");

    public static RpcMethod<EchoRequest, EchoReply> Say { get; } = RpcMethod.Unary<EchoRequest, EchoReply>(Descriptor, "Say");

    public static RpcMethod<EchoRequest, EchoReply> Count { get; } = RpcMethod.ServerStreaming<EchoRequest, EchoReply>(Descriptor, "Count");

    public static RpcMethod<EchoRequest, EchoReply> Unregistered { get; } = RpcMethod.Unary<EchoRequest, EchoReply>(Descriptor, "Unregistered");

    /// <summary>Completes when a handler's cancellation token fires.</summary>
    public TaskCompletionSource HandlerCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The deadline the last handler saw.</summary>
    public DateTimeOffset? LastDeadline { get; private set; }

    /// <summary>How many calls reached a handler.</summary>
    public int Calls => _calls;

    private int _calls;

    public void Register(RpcServiceBuilder service)
    {
        service.Unary(Say, SayAsync);
        service.ServerStreaming(Count, CountAsync);
    }

    private async Task<EchoReply> SayAsync(EchoRequest request, RpcCallContext context)
    {
        await EnterAsync(request, context);
        if (request.Text == "crash")
            throw new InvalidOperationException("secret internal detail");
        if (request.Text == "reset")
        {
            // Resets the HTTP/2 stream (RST_STREAM INTERNAL_ERROR) instead of answering.
            context.HttpContext.Abort();
            return new EchoReply();
        }
        context.ResponseTrailers.Add("echo-trailer", "said");
        var reply = new EchoReply { Text = request.Text, Peer = context.Peer, Payload = ByteString.CopyFrom(new byte[request.Count]) };
        reply.Metadata.Add(context.RequestHeaders
            .Select(e => e.Key + "=" + (e.IsBinary ? Convert.ToBase64String(e.ValueBytes) : e.Value))
            .Order(StringComparer.Ordinal));
        return reply;
    }

    private async Task CountAsync(EchoRequest request, IRpcStreamWriter<EchoReply> writer, RpcCallContext context)
    {
        Interlocked.Increment(ref _calls);
        LastDeadline = context.Deadline;
        using var registration = context.CancellationToken.Register(() => HandlerCancelled.TrySetResult());
        for (var i = 0; i < request.Count; i++)
        {
            if (i > 0 && request.DelayMs > 0)
                await Task.Delay(request.DelayMs, context.CancellationToken);
            await writer.WriteAsync(new EchoReply { Text = request.Text, Index = i }, context.CancellationToken);
        }
        if (request.FailCode != 0)
            throw new RpcException((StatusCode)request.FailCode, request.FailMessage);
    }

    private async Task EnterAsync(EchoRequest request, RpcCallContext context)
    {
        Interlocked.Increment(ref _calls);
        LastDeadline = context.Deadline;
        using var registration = context.CancellationToken.Register(() => HandlerCancelled.TrySetResult());
        if (request.DelayMs > 0)
            await Task.Delay(request.DelayMs, context.CancellationToken);
        if (request.FailCode != 0)
        {
            var error = new RpcException((StatusCode)request.FailCode, request.FailMessage);
            error.Trailers.Add("failure-trailer", "yes");
            throw error;
        }
    }
}
