using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DistTrain.Rpc.Tests.Echo;
using DistTrain.Rpc.Tests.Support;

namespace DistTrain.Rpc.Tests.Client;

public sealed class TlsTests
{
    [Fact]
    public async Task Calls_work_over_TLS_with_the_servers_certificate_trusted()
    {
        using var certificate = SelfSignedLocalhost();
        await using var server = await TestServer.StartAsync(certificate: certificate);
        Assert.StartsWith("https://", server.Address);
        using var handler = TrustOnly(certificate);
        using var channel = server.CreateChannel(new RpcChannelOptions { HttpHandler = handler });

        var reply = await channel.UnaryAsync(EchoService.Say, new EchoRequest { Text = "secure" });
        var stream = await channel.ServerStreaming(EchoService.Count, new EchoRequest { Count = 3 }).ToListAsync();

        Assert.Equal("secure", reply.Text);
        Assert.Equal(3, stream.Count);
    }

    [Fact]
    public async Task Untrusted_certificate_gives_UNAVAILABLE()
    {
        using var certificate = SelfSignedLocalhost();
        await using var server = await TestServer.StartAsync(certificate: certificate);
        using var channel = server.CreateChannel();

        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(EchoService.Say, new EchoRequest()));

        Assert.Equal(StatusCode.Unavailable, error.Status);
    }

    internal static X509Certificate2 SelfSignedLocalhost()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        // Round-trip through PKCS#12 so the private key is usable by the TLS stack on every platform.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pfx), password: null);
    }

    internal static SocketsHttpHandler TrustOnly(X509Certificate2 trusted) => new()
    {
        UseProxy = false,
        SslOptions =
        {
            RemoteCertificateValidationCallback = (_, presented, _, _) =>
                presented is not null && presented.GetCertHashString() == trusted.GetCertHashString(),
        },
    };
}
