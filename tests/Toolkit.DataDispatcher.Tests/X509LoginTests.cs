using System;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using Toolkit.Peers.DataDispatcher;
using Toolkit.DataDispatcher;
using Toolkit.Runtime.Security;

namespace Toolkit.DataDispatcher.Tests;

/// <summary>login_x509 over TLS with a client certificate, against the peer's HTTPS auth listener.</summary>
#pragma warning disable CA1001 // The peer is disposed by IAsyncLifetime.DisposeAsync.
public sealed class X509LoginTests : IAsyncLifetime
#pragma warning restore CA1001
{
    private readonly DataDispatcherPeer _peer = new();
    private readonly string _dir = System.IO.Directory.CreateTempSubdirectory("dd-x509-").FullName;
    private X509Certificate2 _ca = null!;
    private byte[] _user = null!;
    private byte[] _stranger = null!;

    public async Task InitializeAsync()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caReq = new CertificateRequest("CN=Toolkit Test CA, O=Toolkit", caKey, HashAlgorithmName.SHA256);
        caReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caReq.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caReq.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caReq.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        _ca = caReq.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        var server = Issue("CN=localhost, O=Toolkit", server: true);
        _user = Issue("CN=Test User, O=Toolkit", server: false);
        _stranger = Issue("CN=Someone Else, O=Toolkit", server: false);
        _peer.AddUser("carol").Dns.Add("/O=Toolkit/CN=Test User");
        _peer.AddUser("bob", "bob-pw");
        await _peer.StartAsync(X509CertificateLoader.LoadPkcs12(server, null), _ca);
    }

    private static X509Credential Credential(byte[] pfx) => new(X509CertificateLoader.LoadPkcs12(pfx, null), []);

    private byte[] Issue(string subject, bool server)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (server)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("localhost");
            san.AddIpAddress(IPAddress.Loopback);
            req.CertificateExtensions.Add(san.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(8);
        serial[0] &= 0x7F;
        var now = DateTimeOffset.UtcNow;
        using var cert = req.Create(_ca, now.AddHours(-1), now.AddDays(10), serial);
        // Round-trip through PKCS#12 so the key is usable by SslStream on every platform.
        using var withKey = cert.CopyWithPrivateKey(key);
        return withKey.Export(X509ContentType.Pkcs12);
    }

    public async Task DisposeAsync()
    {
        await _peer.DisposeAsync();
        System.IO.Directory.Delete(_dir, true);
    }

    private DataDispatcherClient Client(Uri auth) => new(new DataDispatcherClientOptions
    {
        ServerUrl = _peer.DataUrl.ToString(),
        AuthServerUrl = auth.ToString(),
        TokenLibrary = System.IO.Path.Combine(_dir, "lib-" + Guid.NewGuid().ToString("N")[..6]),
        CurrentDirectory = _dir,
        Environment = _ => null,
        Tls = new GridTlsOptions { TrustStore = TrustStore.FromCertificates([_ca]) },
    });

    [Fact]
    public async Task Login_x509_with_a_registered_certificate_gets_a_token()
    {
        using var client = Client(_peer.HttpsAuthUrl!);
        using var credential = Credential(_user);
        var info = await client.LoginX509Async("carol", credential);
        Assert.Equal("carol", info.User);
        Assert.Equal("carol", (await client.AuthInfoAsync()).User);

        // The token works on the data server too (plain http in this test).
        var project = await client.CreateProjectAsync(["x509:1"]);
        Assert.Equal("carol", project.Owner);
    }

    [Fact]
    public async Task Login_x509_is_refused_for_an_unregistered_certificate_or_user_and_over_http()
    {
        using var client = Client(_peer.HttpsAuthUrl!);
        using var stranger = Credential(_stranger);
        await Assert.ThrowsAsync<DataDispatcherAuthenticationFailedException>(() => client.LoginX509Async("carol", stranger));
        using var user = Credential(_user);
        await Assert.ThrowsAsync<DataDispatcherAuthenticationFailedException>(() => client.LoginX509Async("bob", user));

        using var plain = Client(_peer.AuthUrl);
        await Assert.ThrowsAsync<DataDispatcherAuthException>(() => plain.LoginX509Async("carol", user));
        var e = await Assert.ThrowsAsync<DataDispatcherAuthenticationFailedException>(() => plain.Auth.AuthenticateAsync(AuthMethod.X509, "carol"));
        Assert.Equal("HTTPS scheme required", e.Message);
        var unknown = await Assert.ThrowsAsync<DataDispatcherAuthenticationFailedException>(() => plain.Auth.AuthenticateAsync(new AuthMethod("kerberos"), "carol"));
        Assert.Equal("Unknown authentication method", unknown.Message);
    }

    [Fact]
    public async Task Server_certificate_is_verified_against_the_trust_store()
    {
        using var untrusting = new DataDispatcherClient(new DataDispatcherClientOptions
        {
            ServerUrl = _peer.DataUrl.ToString(),
            AuthServerUrl = _peer.HttpsAuthUrl!.ToString(),
            TokenLibrary = System.IO.Path.Combine(_dir, "lib-u"),
            Environment = _ => null,
            Tls = new GridTlsOptions { TrustStore = TrustStore.FromCertificates([]) },
        });
        using var user = Credential(_user);
        await Assert.ThrowsAsync<System.Net.Http.HttpRequestException>(() => untrusting.LoginX509Async("carol", user));
    }
}
