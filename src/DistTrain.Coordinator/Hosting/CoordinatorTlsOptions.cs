namespace DistTrain.Coordinator;

/// <summary>
/// TLS for the coordinator's endpoint. Without <see cref="CertificatePath"/> the endpoint speaks
/// cleartext HTTP/2 (h2c); with it, TLS with HTTP/2 negotiated by ALPN.
/// </summary>
public sealed class CoordinatorTlsOptions
{
    /// <summary>The server's certificate: a PEM file (then <see cref="KeyPath"/> names its private key) or a PKCS#12 file (.pfx, .p12) that holds the key.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM file of the certificate's private key; null for a PKCS#12 certificate or a PEM file that holds the key too.</summary>
    public string? KeyPath { get; set; }

    /// <summary>
    /// A PEM file of the CA certificates that sign clients' certificates. When set, every connection
    /// must present a client certificate that chains to one of them (mutual TLS).
    /// </summary>
    public string? ClientCaPath { get; set; }

    /// <summary>Whether TLS is on.</summary>
    public bool Enabled => CertificatePath is not null;
}
