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

/// <summary>The hooks the UFTP Auth endpoint plugs into.</summary>
public sealed class PeerHookTests
{
    [Fact]
    public async Task Mapped_routes_and_the_auth_delegate_serve_rest_auth_beside_the_site()
    {
        await using var mapped = new UnicorePeer(new UnicorePeerOptions
        {
            ConfigureApp = app => Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions.MapGet(app, "/rest/auth", () => "{\"TEST\": {\"status\": \"READY\"}}"),
        });
        await mapped.StartAsync();
        using var http = new HttpClient();
        Assert.Contains("READY", await http.GetStringAsync(new Uri(mapped.BaseUrl, "/rest/auth")), StringComparison.Ordinal);
        using (var client = new UnicoreClient(new UnicoreClientOptions { SiteUrl = mapped.SiteUrl, Credential = UnicoreCredential.Basic("demouser", "test123") }))
        {
            Assert.Equal("UID=demouser", (await client.ConnectAsync()).Client!.Dn);
        }

        await using var hooked = new UnicorePeer(new UnicorePeerOptions
        {
            AuthEndpoint = (ctx, user) => Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(ctx.Response, "auth for " + user),
        });
        await hooked.StartAsync();
        using var basic = new HttpRequestMessage(HttpMethod.Get, new Uri(hooked.BaseUrl, "/rest/auth/TEST"));
        basic.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String("demouser:test123"u8.ToArray()));
        Assert.Equal("auth for demouser", await (await http.SendAsync(basic)).Content.ReadAsStringAsync());
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await http.GetAsync(new Uri(hooked.BaseUrl, "/rest/auth/TEST"))).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync(new Uri(mapped.BaseUrl, "/rest/auth/TEST"))).StatusCode);
    }
}
