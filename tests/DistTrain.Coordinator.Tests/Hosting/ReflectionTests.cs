using DistTrain.Coordinator.Tests.Support;
using Grpc.Core;
using Grpc.Reflection.V1;

namespace DistTrain.Coordinator.Tests.Hosting;

/// <summary>Server reflection (grpcurl's way to learn the API) is off unless asked for.</summary>
public sealed class ReflectionTests
{
    [Fact]
    public async Task Reflection_is_off_by_default()
    {
        await using var server = await TestServer.StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => ListServicesAsync(server));

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    [Fact]
    public async Task Reflection_when_enabled_lists_the_coordinator_and_the_health_service()
    {
        await using var server = await TestServer.StartAsync(configure: o => o.EnableReflection = true);

        var services = await ListServicesAsync(server);

        Assert.Contains("disttrain.v1.Coordinator", services);
        Assert.Contains("grpc.health.v1.Health", services);
    }

    private static async Task<List<string>> ListServicesAsync(TestServer server)
    {
        var reflection = new ServerReflection.ServerReflectionClient(server.Channel());
        using var call = reflection.ServerReflectionInfo();
        try
        {
            await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
            await call.RequestStream.CompleteAsync();
        }
        catch (RpcException)
        {
            // A server without reflection may end the call (UNIMPLEMENTED) before the request is written;
            // the write then fails, often as CANCELLED. The call's own status comes with the response.
        }

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.True(await call.ResponseStream.MoveNext(limit.Token));
        return call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
    }
}
