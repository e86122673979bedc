using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DistTrain.Rpc.Tests.Support;

/// <summary>A Kestrel host serving <see cref="EchoService"/> on 127.0.0.1 and a port the OS picks; disposing stops it.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    public const string Token = "Bearer let-me-in";

    private readonly WebApplication _app;

    private TestServer(WebApplication app, EchoService echo, string address, ListLoggerProvider logs)
    {
        _app = app;
        Echo = echo;
        Address = address;
        Logs = logs;
    }

    public EchoService Echo { get; }

    public string Address { get; }

    /// <summary>What the server logged.</summary>
    public ListLoggerProvider Logs { get; }

    public int Port => new Uri(Address).Port;

    /// <param name="configure">Server options, for example limits.</param>
    /// <param name="requireToken">Whether calls must carry <c>authorization: <see cref="Token"/></c>.</param>
    /// <param name="certificate">Serve TLS with this certificate.</param>
    public static async Task<TestServer> StartAsync(Action<RpcServerOptions>? configure = null, bool requireToken = false, X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        var logs = new ListLoggerProvider();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.WebHost.ConfigureRpcEndpoint(new IPEndPoint(IPAddress.Loopback, 0), certificate);
        builder.Services.AddRpc(options =>
        {
            configure?.Invoke(options);
            if (requireToken)
            {
                options.Authorize = context => context.RequestHeaders.GetValue("authorization") == Token
                    ? null
                    : new RpcException(StatusCode.Unauthenticated, "A valid bearer token is required.");
            }
        });
        var app = builder.Build();
        var echo = new EchoService();
        app.MapRpcService(EchoService.Descriptor, echo.Register);
        await app.StartAsync();
        return new TestServer(app, echo, app.Services.GetListeningAddresses().Single(), logs);
    }

    public RpcChannel CreateChannel(RpcChannelOptions? options = null) => RpcChannel.ForAddress(Address, options);

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}
