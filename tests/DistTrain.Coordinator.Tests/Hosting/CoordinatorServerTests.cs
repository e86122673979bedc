using DistTrain.Coordinator.Rendezvous;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DistTrain.Coordinator.Tests.Hosting;

public sealed class CoordinatorServerTests
{
    [Fact]
    public void Building_with_invalid_options_lists_every_failure()
    {
        var error = Assert.Throws<OptionsValidationException>(() => CoordinatorServer.Build(o =>
        {
            o.Token = "";
            o.Rendezvous.MinNodes = 3;
            o.Rendezvous.MaxNodes = 2;
        }));

        Assert.Contains("The maximum number of nodes (2) must be greater than or equal to the minimum (3).", error.Failures);
        Assert.Contains("The token must be at least 8 characters long (it has 0).", error.Failures);
    }

    [Fact]
    public async Task Started_server_listens_on_loopback_with_the_configured_rendezvous()
    {
        await using var server = await CoordinatorServer.StartAsync(o =>
        {
            o.Port = 0;
            o.Token = "token-for-this-test";
            o.Rendezvous.MinNodes = 2;
            o.Rendezvous.MaxNodes = 5;
        });

        Assert.Equal("127.0.0.1", server.Address.Host);
        Assert.NotEqual(0, server.Address.Port);
        var options = server.Services.GetRequiredService<IOptions<CoordinatorOptions>>().Value.Rendezvous;
        Assert.Equal((2, 5), (options.MinNodes, options.MaxNodes));
        Assert.Equal(RoundState.Open, server.Services.GetRequiredService<IRendezvous>().Current.State);
    }
}
