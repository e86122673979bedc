using DistTrain.Coordinator.Tests.Support;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace DistTrain.Coordinator.Tests.Hosting;

/// <summary>The coordinator over TLS, and with client certificates required (mutual TLS).</summary>
public sealed class TlsTests : IDisposable
{
    private readonly Certificates _certificates = new();

    public void Dispose() => _certificates.Dispose();

    [Fact]
    public async Task Coordinator_with_a_certificate_serves_tls_to_a_client_that_trusts_its_ca()
    {
        await using var server = await TestServer.StartAsync(configure: UseTls);
        var client = server.Client(configure: o => o.HttpHandler = _certificates.Handler());

        var world = await client.JoinAsync("secure-node", 1);

        Assert.Equal("https", server.Server.Address.Scheme);
        Assert.Equal(1ul, world.Round);
        Assert.Equal("127.0.0.1", world.Nodes[0].Host);
    }

    [Fact]
    public async Task Client_that_does_not_trust_the_certificate_fails_with_the_tls_reason()
    {
        await using var server = await TestServer.StartAsync(configure: UseTls);
        var client = server.Client(configure: o => o.ServiceConfig = null);

        var error = await Assert.ThrowsAsync<RpcException>(() => client.HeartbeatAsync("n", 0));

        // Grpc.Net.Client reports a TLS handshake that failed inside HttpClient as INTERNAL, with the reason.
        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Contains("SSL connection could not be established", error.Status.Detail);
    }

    [Fact]
    public async Task With_a_client_ca_only_clients_with_a_certificate_it_signed_get_in()
    {
        await using var server = await TestServer.StartAsync(configure: o =>
        {
            UseTls(o);
            o.Tls.ClientCaPath = _certificates.CaPath;
        });
        var signed = server.Client(configure: o => o.HttpHandler = _certificates.Handler(_certificates.Client));
        var without = server.Client(configure: o => { o.HttpHandler = _certificates.Handler(); o.ServiceConfig = null; });
        var stranger = server.Client(configure: o => { o.HttpHandler = _certificates.Handler(Certificates.Stranger()); o.ServiceConfig = null; });

        Assert.True((await signed.HeartbeatAsync("n", 0)).RejoinRequired);
        await AssertRefusedAsync(() => without.HeartbeatAsync("n", 0));
        await AssertRefusedAsync(() => stranger.HeartbeatAsync("n", 0));
    }

    // With TLS 1.3 the client learns that its certificate was refused during the handshake or on its first read:
    // Grpc.Net.Client answers UNAVAILABLE or INTERNAL, with the transport's reason.
    private static async Task AssertRefusedAsync(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Contains(error.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
    }

    [Fact]
    public void Tls_files_that_do_not_exist_and_a_key_without_a_certificate_are_refused_by_name()
    {
        var error = Assert.Throws<OptionsValidationException>(() => CoordinatorServer.Build(o =>
        {
            o.Token = TestServer.Token;
            o.Tls.KeyPath = "/nonexistent/server.key";
        }));

        Assert.Contains("A TLS key or client CA was given without a certificate: give the server's certificate too (--tls-cert).", error.Failures);
        Assert.Contains("The TLS key file '/nonexistent/server.key' does not exist.", error.Failures);
    }

    [Fact]
    public async Task A_certificate_file_that_is_not_a_certificate_fails_to_start_naming_the_file()
    {
        var bogus = Path.Combine(_certificates.Folder, "bogus.pem");
        await File.WriteAllTextAsync(bogus, "not a certificate");

        var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => TestServer.StartAsync(configure: o => o.Tls.CertificatePath = bogus));

        Assert.Contains($"The TLS certificate file '{bogus}' cannot be used", error.ToString());
    }

    private void UseTls(CoordinatorOptions options)
    {
        options.Tls.CertificatePath = _certificates.ServerCertificatePath;
        options.Tls.KeyPath = _certificates.ServerKeyPath;
    }
}
