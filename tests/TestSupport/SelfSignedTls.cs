using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.Core.Pipeline;

namespace Recording.TestSupport;

/// <summary>
/// A self-signed certificate for 127.0.0.1, made in memory for a test server (Azurite's HTTPS), and a client transport that
/// trusts exactly it: bearer tokens only travel over HTTPS, and a test must not trust every certificate to get there.
/// </summary>
public sealed class SelfSignedTls : IDisposable
{
    private readonly RSA key;
    private readonly X509Certificate2 certificate;
    private readonly HttpClientHandler handler;

    private SelfSignedTls(RSA key, X509Certificate2 certificate)
    {
        this.key = key;
        this.certificate = certificate;
        handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented is not null && presented.RawData.AsSpan().SequenceEqual(certificate.RawData),
        };
        Transport = new HttpClientTransport(handler);
    }

    public HttpPipelineTransport Transport { get; }

    public static SelfSignedTls Create()
    {
        var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        return new SelfSignedTls(key, request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1)));
    }

    /// <summary>Writes the certificate and its private key as PEM files into <paramref name="folder"/>; returns their paths.</summary>
    public (string Certificate, string Key) WritePem(string folder)
    {
        var certificatePath = Path.Combine(folder, "tls.crt");
        var keyPath = Path.Combine(folder, "tls.key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }

    public void Dispose()
    {
        handler.Dispose();
        certificate.Dispose();
        key.Dispose();
    }
}
