using System;
using System.Net.Http;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using Toolkit.Peers.Unicore;
using Toolkit.Runtime.Security;

namespace Toolkit.Unicore.Tests;

/// <summary>The peer over HTTPS: the client verifies the server certificate unless told otherwise.</summary>
public sealed class HttpsTests
{
    [Fact]
    public async Task The_server_certificate_is_verified_against_the_configured_trust()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        using var cert = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
        await using var peer = new UnicorePeer(new UnicorePeerOptions { Certificate = cert });
        await peer.StartAsync();
        Assert.Equal("https", peer.SiteUrl.Scheme);

        var options = new UnicoreClientOptions { SiteUrl = peer.SiteUrl, Credential = UnicoreCredential.Basic("demouser", "test123"), Timeout = TimeSpan.FromSeconds(20) };
        using (var untrusted = new UnicoreClient(options))
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => untrusted.ConnectAsync());
        }

        using var publicCert = X509CertificateLoader.LoadCertificate(cert.RawData);
        using var trusted = new UnicoreClient(options with { Tls = new GridTlsOptions { TrustStore = TrustStore.FromCertificates([publicCert]) } });
        Assert.Equal("UID=demouser", (await trusted.ConnectAsync()).Client!.Dn);
    }
}
