using DistTrain.Rpc.Tests.Echo;
using DistTrain.Rpc.Tests.Support;
using Microsoft.AspNetCore.Builder;

namespace DistTrain.Rpc.Tests;

public sealed class RpcMethodTests
{
    [Fact]
    public void Method_carries_the_path_from_the_proto()
    {
        var method = RpcMethod.Unary<EchoRequest, EchoReply>(EchoService.Descriptor, "Say");

        Assert.Equal("/disttrain.rpctest.v1.Echo/Say", method.FullName);
        Assert.Equal("disttrain.rpctest.v1.Echo", method.ServiceName);
        Assert.Equal(RpcMethodType.Unary, method.Type);
    }

    [Fact]
    public void Misspelt_method_fails_at_start_up_listing_the_real_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => RpcMethod.Unary<EchoRequest, EchoReply>(EchoService.Descriptor, "Sya"));
        Assert.Contains("has no method 'Sya'", error.Message);
        Assert.Contains("Say, Count, Unregistered", error.Message);
    }

    [Fact]
    public void Wrong_message_type_fails_at_start_up()
    {
        var error = Assert.Throws<ArgumentException>(() => RpcMethod.Unary<EchoReply, EchoReply>(EchoService.Descriptor, "Say"));
        Assert.Contains("takes disttrain.rpctest.v1.EchoRequest as its input", error.Message);
    }

    [Fact]
    public void Wrong_call_shape_fails_at_start_up()
    {
        Assert.Throws<ArgumentException>(() => RpcMethod.Unary<EchoRequest, EchoReply>(EchoService.Descriptor, "Count"));
        Assert.Throws<ArgumentException>(() => RpcMethod.ServerStreaming<EchoRequest, EchoReply>(EchoService.Descriptor, "Say"));
    }

    [Fact]
    public void Registering_a_method_twice_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => MapEcho(addRpc: true, s => s
            .Unary<EchoRequest, EchoReply>("Say", (_, _) => Task.FromResult(new EchoReply()))
            .Unary<EchoRequest, EchoReply>("Say", (_, _) => Task.FromResult(new EchoReply()))));
        Assert.Contains("registered twice", error.Message);
    }

    [Fact]
    public void Registering_a_misspelt_method_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => MapEcho(addRpc: true, s => s
            .Unary<EchoRequest, EchoReply>("Sya", (_, _) => Task.FromResult(new EchoReply()))));
        Assert.Contains("has no method 'Sya'", error.Message);
    }

    [Fact]
    public void Mapping_without_AddRpc_names_the_missing_call()
    {
        var error = Assert.Throws<InvalidOperationException>(() => MapEcho(addRpc: false, _ => { }));
        Assert.Contains("AddRpc", error.Message);
    }

    private static void MapEcho(bool addRpc, Action<RpcServiceBuilder> configure)
    {
        var builder = WebApplication.CreateSlimBuilder();
        if (addRpc)
            builder.Services.AddRpc();
        using var app = builder.Build();
        app.MapRpcService(EchoService.Descriptor, configure);
    }
}
