namespace DistTrain.Rpc.Server;

/// <summary>Answers UNIMPLEMENTED for a method or a service this server does not have.</summary>
internal sealed class UnimplementedServerMethod : ServerMethodHandler
{
    private readonly string _what;

    /// <param name="route">The route template this answers.</param>
    /// <param name="what">"Method" or "Service", for the status message.</param>
    /// <param name="shared">What the host's handlers share.</param>
    public UnimplementedServerMethod(string route, string what, ServerShared shared)
        : base(route, shared)
    {
        _what = what;
    }

    // An unknown method is unknown to everyone; there is nothing to protect.
    protected override bool RequiresAuthorization => false;

    protected override Task InvokeAsync(ServerCall call) =>
        throw new RpcException(StatusCode.Unimplemented, $"{_what} is unimplemented: {call.Context.Method}");
}
