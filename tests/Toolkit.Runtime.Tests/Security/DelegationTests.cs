using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Toolkit.Runtime.Security;

namespace Toolkit.Runtime.Tests.Security;

[Collection("pki")]
public sealed class DelegationTests(GridPki pki)
{
    /// <summary>A request like the FTS3 server's: fresh RSA key, subject O=Dummy, SHA-256, made by openssl.</summary>
    private (string Csr, string Key) ServerRequest(int bits = 2048)
    {
        string key = pki.NewFile("dlgkey");
        string csr = pki.NewFile("dlgcsr");
        Tool.MustRun("openssl", "req", "-new", "-newkey", "rsa:" + bits, "-nodes", "-sha256", "-subj", "/O=Dummy", "-keyout", key, "-out", csr);
        return (File.ReadAllText(csr), key);
    }

    [Fact]
    public void Signs_the_request_exactly_as_fts3_section5_describes()
    {
        using var user = pki.LoadUser();
        var (csr, keyPath) = ServerRequest();
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string pem = ProxyFactory.SignDelegationRequest(user, csr, TimeSpan.FromHours(12));
        var after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var certs = X509Credential.ReadCertificates(pem);
        Assert.Equal(2, certs.Count);
        var proxy = certs[0];
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", pem);
        Assert.Equal(user.Certificate.Thumbprint, certs[1].Thumbprint);
        Assert.DoesNotContain("PRIVATE KEY", pem);

        Assert.Equal(3, proxy.Version);
        Assert.Equal(user.Certificate.SerialNumber, proxy.SerialNumber); // 1234567 = 0x12D687
        Assert.Equal("12D687", proxy.SerialNumber);
        Assert.Equal(user.Certificate.SubjectName.RawData, proxy.IssuerName.RawData);
        long cn = long.Parse(DistinguishedNames.LastCommonName(proxy.SubjectName)!);
        Assert.InRange(cn, before, after);
        Assert.True(DistinguishedNames.IsProxySubjectOf(proxy.SubjectName, user.Certificate.SubjectName));
        Assert.Equal("1.2.840.113549.1.1.11", proxy.SignatureAlgorithm.Value);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(cn).UtcDateTime, proxy.NotBefore.ToUniversalTime());
        Assert.Equal(TimeSpan.FromHours(12), proxy.NotAfter - proxy.NotBefore);

        var bc = Assert.IsType<X509BasicConstraintsExtension>(proxy.Extensions["2.5.29.19"]);
        Assert.True(bc.Critical);
        Assert.False(bc.CertificateAuthority);
        var ku = Assert.IsType<X509KeyUsageExtension>(proxy.Extensions["2.5.29.15"]);
        Assert.True(ku.Critical);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, ku.KeyUsages);
        var aki = Assert.IsType<X509AuthorityKeyIdentifierExtension>(proxy.Extensions["2.5.29.35"]);
        Assert.False(aki.Critical);
        var ski = Assert.IsType<X509SubjectKeyIdentifierExtension>(user.Certificate.Extensions["2.5.29.14"]);
        Assert.Equal(Convert.FromHexString(ski.SubjectKeyIdentifier!), aki.KeyIdentifier!.Value.ToArray());
        var pci = proxy.Extensions[ProxyCertificates.ProxyCertInfoOid]!;
        Assert.True(pci.Critical);
        // SEQUENCE { SEQUENCE { OID id-ppl-inheritAll } }: no path length, no policy.
        Assert.Equal("300C300A06082B06010505071501", Convert.ToHexString(pci.RawData));

        // The public key is the request's (FTS3 compares the modulus with its cached key).
        using var serverKey = RSA.Create();
        serverKey.ImportFromPem(File.ReadAllText(keyPath));
        using var proxyKey = proxy.GetRSAPublicKey()!;
        Assert.Equal(serverKey.ExportParameters(false).Modulus, proxyKey.ExportParameters(false).Modulus);

        // The server side stores proxy + its key; openssl accepts the chain.
        string stored = pki.NewFile("stored");
        File.WriteAllText(stored, pem);
        var v = Tool.Openssl("verify", "-allow_proxy_certs", "-CAfile", pki.CaPath, "-untrusted", stored, stored);
        Assert.True(v.ExitCode == 0, v.ToString());
        File.WriteAllText(stored, proxy.ExportCertificatePem() + "\n" + File.ReadAllText(keyPath) + certs[1].ExportCertificatePem() + "\n");
        File.SetUnixFileMode(stored, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var info = Tool.Run("grid-proxy-info", ["-file", stored], pki.ToolEnv);
        Assert.True(info.ExitCode == 0, info.ToString());
        Assert.Contains("type     : RFC 3820 compliant impersonation proxy", info.Stdout);
    }

    [Fact]
    public void Delegating_from_a_proxy_sends_new_proxy_then_user_proxy_then_user_cert_and_clamps_lifetime()
    {
        using var user = pki.LoadUser();
        using var userProxy = ProxyFactory.CreateProxy(user, new ProxyOptions { Lifetime = TimeSpan.FromHours(1) });
        var (csr, _) = ServerRequest(1024);
        string pem = ProxyFactory.SignDelegationRequest(userProxy, csr, TimeSpan.FromHours(12));
        var certs = X509Credential.ReadCertificates(pem);
        Assert.Equal(3, certs.Count);
        Assert.Equal(userProxy.Certificate.Thumbprint, certs[1].Thumbprint);
        Assert.Equal(user.Certificate.Thumbprint, certs[2].Thumbprint);
        Assert.Equal(userProxy.Certificate.SerialNumber, certs[0].SerialNumber);
        Assert.Equal(userProxy.Certificate.NotAfter, certs[0].NotAfter);
        using var pub = certs[0].GetRSAPublicKey()!;
        Assert.Equal(1024, pub.KeySize);
        string stored = pki.NewFile("chain");
        File.WriteAllText(stored, pem);
        var v = Tool.Openssl("verify", "-allow_proxy_certs", "-CAfile", pki.CaPath, "-untrusted", stored, stored);
        Assert.True(v.ExitCode == 0, v.ToString());
    }

    [Fact]
    public void A_request_with_a_bad_signature_is_refused()
    {
        using var user = pki.LoadUser();
        var (csr, _) = ServerRequest();
        var der = Convert.FromBase64String(string.Concat(csr.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal))));
        der[^5] ^= 0x01; // inside the signature
        string tampered = PemEncoding.WriteString("CERTIFICATE REQUEST", der);
        var e = Assert.Throws<CredentialException>(() => ProxyFactory.SignDelegationRequest(user, tampered, TimeSpan.FromHours(1)));
        Assert.Contains("signature", e.Message);
        Assert.Throws<CredentialException>(() => ProxyFactory.SignDelegationRequest(user, "not a request", TimeSpan.FromHours(1)));
    }
}
