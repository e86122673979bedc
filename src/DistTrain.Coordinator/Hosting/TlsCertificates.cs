using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace DistTrain.Coordinator.Hosting;

/// <summary>Loads the coordinator's TLS certificate and, for mutual TLS, checks clients' certificates against the given CA.</summary>
internal static class TlsCertificates
{
    /// <summary>Sets <paramref name="https"/> up from <paramref name="tls"/> (which must have a certificate).</summary>
    /// <exception cref="InvalidOperationException">A file cannot be read as a certificate or key; the message names it.</exception>
    public static void Configure(HttpsConnectionAdapterOptions https, CoordinatorTlsOptions tls)
    {
        https.ServerCertificate = LoadServerCertificate(tls);
        if (tls.ClientCaPath is { } caPath)
        {
            var authorities = Load(caPath, "client CA", () =>
            {
                var collection = new X509Certificate2Collection();
                collection.ImportFromPemFile(caPath);
                return collection.Count > 0 ? collection : throw new InvalidOperationException("it holds no PEM certificate");
            });
            https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
            https.ClientCertificateValidation = (certificate, _, _) => ChainsTo(certificate, authorities);
        }
    }

    private static X509Certificate2 LoadServerCertificate(CoordinatorTlsOptions tls)
    {
        var path = tls.CertificatePath!;
        var pkcs12 = path.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".p12", StringComparison.OrdinalIgnoreCase);
        return Load(path, "TLS certificate", () => pkcs12
            ? X509CertificateLoader.LoadPkcs12FromFile(path, password: null)
            // Round-trip through PKCS#12: a key loaded from PEM is ephemeral, which SslStream cannot use on every platform.
            : X509CertificateLoader.LoadPkcs12(X509Certificate2.CreateFromPemFile(path, tls.KeyPath).Export(X509ContentType.Pkcs12), password: null));
    }

    private static bool ChainsTo(X509Certificate2 certificate, X509Certificate2Collection authorities)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.2")); // client authentication
        return chain.Build(certificate);
    }

    private static T Load<T>(string path, string what, Func<T> load)
    {
        try
        {
            return load();
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or IOException or InvalidOperationException or ArgumentException)
        {
            throw new InvalidOperationException($"The {what} file '{path}' cannot be used: {ex.Message}. Give a PEM certificate with its key (--tls-key), or a PKCS#12 file.", ex);
        }
    }
}
