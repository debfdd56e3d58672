using System;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Toolkit.Runtime.Security;

namespace Toolkit.Runtime.Tests.Security;

[Collection("pki")]
public sealed class ProxyChainValidatorTests(GridPki pki)
{
    [Fact]
    public void Accepts_proxy_chains_and_names_the_end_entity()
    {
        using var user = pki.LoadUser();
        using var p1 = ProxyFactory.CreateProxy(user);
        using var p2 = ProxyFactory.CreateProxy(p1);
        var validator = new ProxyChainValidator(TrustStore.Load(pki.CertDir));
        var r = validator.Validate(p2.Certificate, [user.Certificate, p1.Certificate]);
        Assert.True(r.IsValid, string.Join("; ", r.Errors));
        Assert.Equal("/DC=org/DC=toolkit/CN=Test User", r.Identity);
        Assert.Equal(2, r.ProxyDepth);
        Assert.True(validator.Validate(user.Certificate, []).IsValid);
    }

    [Fact]
    public void Refuses_missing_links_untrusted_roots_path_length_and_expiry()
    {
        using var user = pki.LoadUser();
        var validator = new ProxyChainValidator(TrustStore.Load(pki.CertDir));
        using var p1 = ProxyFactory.CreateProxy(user, new ProxyOptions { PathLength = 0 });
        Assert.Contains("no presented certificate", string.Join(" ", validator.Validate(p1.Certificate, []).Errors));
        using var p2 = ProxyFactory.CreateProxy(p1);
        Assert.Contains(validator.Validate(p2.Certificate, [p1.Certificate, user.Certificate]).Errors, e => e.Contains("path length 0", StringComparison.Ordinal));

        var later = new ProxyChainValidator(TrustStore.Load(pki.CertDir), new FixedTime(DateTimeOffset.UtcNow.AddDays(2)));
        using var shortLived = ProxyFactory.CreateProxy(user, new ProxyOptions { Lifetime = TimeSpan.FromHours(1) });
        Assert.Contains(later.Validate(shortLived.Certificate, [user.Certificate]).Errors, e => e.Contains("expired at", StringComparison.Ordinal));

        using var otherKey = RSA.Create(2048);
        using var otherCa = new CertificateRequest("CN=Other CA", otherKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var strangers = new ProxyChainValidator(TrustStore.FromCertificates([otherCa]));
        using var p = ProxyFactory.CreateProxy(user);
        Assert.False(strangers.Validate(p.Certificate, [user.Certificate]).IsValid);
    }

    [Fact]
    public void A_crl_in_the_trust_directory_revokes_the_user_as_openssl_agrees()
    {
        string dir = pki.NewFile("certdir");
        Directory.CreateDirectory(dir);
        foreach (var f in Directory.GetFiles(pki.CertDir))
        {
            File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        }
        using var ca = X509Credential.Load(pki.CaPath, pki.CaKeyPath);
        using var user = pki.LoadUser();
        var builder = new CertificateRevocationListBuilder();
        builder.AddEntry(user.Certificate.SerialNumberBytes.Span, DateTimeOffset.UtcNow.AddMinutes(-5));
        byte[] crl = builder.Build(ca.Certificate, 1, DateTimeOffset.UtcNow.AddDays(1), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        string hash = Tool.MustRun("openssl", "x509", "-hash", "-noout", "-in", pki.CaPath).Stdout.Trim();
        string crlPath = Path.Combine(dir, hash + ".r0");
        File.WriteAllText(crlPath, PemEncoding.WriteString("X509 CRL", crl));

        var trust = TrustStore.Load(dir);
        Assert.Equal(1, trust.CrlCount);
        using var proxy = ProxyFactory.CreateProxy(user);
        var r = new ProxyChainValidator(trust).Validate(proxy.Certificate, [user.Certificate]);
        Assert.Contains(r.Errors, e => e.Contains("revoked", StringComparison.Ordinal));

        var v = Tool.Openssl("verify", "-crl_check", "-CAfile", pki.CaPath, "-CRLfile", crlPath, pki.UserCert);
        Assert.NotEqual(0, v.ExitCode);
        Assert.Contains("certificate revoked", v.Stdout + v.Stderr);
    }

    [Fact]
    public void Trust_directory_comes_from_X509_CERT_DIR_else_the_default()
    {
        Assert.Equal("/x/y", TrustStore.ResolveDirectory(null, k => k == "X509_CERT_DIR" ? "/x/y" : null));
        Assert.Equal("/etc/grid-security/certificates", TrustStore.ResolveDirectory(null, _ => null));
        Assert.Throws<CredentialException>(() => TrustStore.Load(pki.P("no-such-dir")));
        var t = TrustStore.Load(null, k => k == "X509_CERT_DIR" ? pki.CertDir : null);
        Assert.Single(t.Authorities);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
