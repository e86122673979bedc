using DistTrain.Coordinator.Store;
using DistTrain.Coordinator.Tests.Support;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace DistTrain.Coordinator.Tests.Service;

/// <summary>A handler that fails in a way the domain does not plan for answers INTERNAL, and keeps its secrets.</summary>
public sealed class UnexpectedErrorTests
{
    private const string Secret = "secret internal detail 4711";

    [Fact]
    public async Task Unexpected_handler_exception_is_internal_without_its_message_and_is_logged()
    {
        await using var server = await TestServer.StartAsync(services: s => s.AddSingleton<IStoreNamespaces>(new BrokenStores()));

        var error = await Assert.ThrowsAsync<RpcException>(() => server.Client().Store("round-1").SetAsync("k", new byte[] { 1 }));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.DoesNotContain("4711", error.Status.Detail);
        Assert.Contains("/disttrain.v1.Coordinator/StoreSet", error.Status.Detail);
        Assert.Contains("log", error.Status.Detail);
        Assert.Contains(server.Logs.Entries, e => e.Exception?.Message == Secret && e.Message.Contains("StoreSet"));
        Assert.True((await server.Client().HeartbeatAsync("bystander", 0)).RejoinRequired);
    }

    private sealed class BrokenStores : IStoreNamespaces
    {
        public IKeyValueStore Get(string name) => throw new InvalidOperationException(Secret);

        public IKeyValueStore Replace(string name) => throw new InvalidOperationException(Secret);
    }
}
