using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DistTrain.Coordinator.Tests.Support;

/// <summary>Certificates made for one test, as PEM files in a folder of their own: a CA, a server certificate for 127.0.0.1 it signed, and client certificates.</summary>
internal sealed class Certificates : IDisposable
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    public Certificates()
    {
        Directory.CreateDirectory(Folder);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=DistTrain test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddHours(2));
        File.WriteAllText(CaPath, Ca.ExportCertificatePem());

        Server = Issue("CN=127.0.0.1", ServerAuth, Ca, subjectAlternativeName: true);
        File.WriteAllText(ServerCertificatePath, Server.ExportCertificatePem());
        File.WriteAllText(ServerKeyPath, Server.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        Client = Issue("CN=node-0", ClientAuth, Ca, subjectAlternativeName: false);
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "disttrain-tls-" + Guid.NewGuid().ToString("N"));

    public X509Certificate2 Ca { get; }

    public X509Certificate2 Server { get; }

    /// <summary>A client certificate the CA signed (with its key).</summary>
    public X509Certificate2 Client { get; }

    public string CaPath => Path.Combine(Folder, "ca.pem");

    public string ServerCertificatePath => Path.Combine(Folder, "server.pem");

    public string ServerKeyPath => Path.Combine(Folder, "server.key");

    /// <summary>A handler that trusts only the test CA, optionally presenting <paramref name="clientCertificate"/>.</summary>
    public SocketsHttpHandler Handler(X509Certificate2? clientCertificate = null)
    {
        var handler = new SocketsHttpHandler { UseProxy = false };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(Ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return certificate is not null && chain.Build(new X509Certificate2(certificate));
        };
        if (clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [clientCertificate];
        }

        return handler;
    }

    /// <summary>A self-signed client certificate no CA of the test signed.</summary>
    public static X509Certificate2 Stranger()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=stranger", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ClientAuth], false));
        using var ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), password: null);
    }

    public void Dispose()
    {
        Ca.Dispose();
        Server.Dispose();
        Client.Dispose();
        Directory.Delete(Folder, recursive: true);
    }

    private static X509Certificate2 Issue(string subject, Oid usage, X509Certificate2 issuer, bool subjectAlternativeName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        if (subjectAlternativeName)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
        }

        using var signed = request.Create(issuer, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1), RandomNumberGenerator.GetBytes(8));
        // With its key, round-tripped through PKCS#12 so the TLS stack can use the key on every platform.
        return X509CertificateLoader.LoadPkcs12(signed.CopyWithPrivateKey(key).Export(X509ContentType.Pkcs12), password: null);
    }
}
