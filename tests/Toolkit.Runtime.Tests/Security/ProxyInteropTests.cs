using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Toolkit.Runtime.Security;

namespace Toolkit.Runtime.Tests.Security;

[Collection("pki")]
public sealed class ProxyInteropTests(GridPki pki)
{
    [Fact]
    public void Created_proxy_passes_openssl_grid_proxy_info_and_voms_proxy_info()
    {
        using var user = pki.LoadUser();
        using var proxy = ProxyFactory.CreateProxy(user, new ProxyOptions { Lifetime = TimeSpan.FromHours(2) });
        string path = pki.NewFile("proxy");
        proxy.WritePem(path);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var verify = Tool.Openssl("verify", "-allow_proxy_certs", "-CAfile", pki.CaPath, "-untrusted", pki.UserCert, path);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains(": OK", verify.Stdout);

        var gpi = Tool.Run("grid-proxy-info", ["-file", path], pki.ToolEnv);
        Assert.True(gpi.ExitCode == 0, gpi.ToString());
        Assert.Contains("identity : /DC=org/DC=toolkit/CN=Test User", gpi.Stdout);
        Assert.Contains("type     : RFC 3820 compliant impersonation proxy", gpi.Stdout);
        Assert.Contains("strength : 2048 bits", gpi.Stdout);
        Assert.Contains($"subject  : {proxy.Subject}", gpi.Stdout);
        Assert.Matches(@"timeleft : 1:5\d:\d\d|timeleft : 2:00:00", gpi.Stdout);

        var vpi = Tool.Run("voms-proxy-info", ["-file", path], pki.ToolEnv);
        Assert.True(vpi.ExitCode == 0, vpi.ToString());
        Assert.Contains("identity  : /DC=org/DC=toolkit/CN=Test User", vpi.Stdout);
        Assert.Contains("type      : RFC compliant proxy", vpi.Stdout);

        // grid-proxy-info -exists succeeds for a valid proxy with enough time left.
        Assert.Equal(0, Tool.Run("grid-proxy-info", ["-file", path, "-exists", "-valid", "1:00"], pki.ToolEnv).ExitCode);
    }

    [Fact]
    public void Proxy_shape_follows_rfc3820()
    {
        using var user = pki.LoadUser();
        using var proxy = ProxyFactory.CreateProxy(user, new ProxyOptions { KeySize = 1024, PathLength = 3 });
        var cert = proxy.Certificate;
        Assert.Equal(ProxyKind.Rfc3820, proxy.Kind);
        Assert.True(DistinguishedNames.IsProxySubjectOf(cert.SubjectName, user.Certificate.SubjectName));
        Assert.Equal(new System.Numerics.BigInteger(cert.SerialNumberBytes.Span, isUnsigned: true, isBigEndian: true).ToString(),
            DistinguishedNames.LastCommonName(cert.SubjectName));
        var pci = cert.Extensions[ProxyCertificates.ProxyCertInfoOid]!;
        Assert.True(pci.Critical);
        Assert.Equal(ProxyCertificates.InheritAllPolicyOid, ProxyCertificates.GetPolicyLanguage(cert));
        Assert.Equal(3, ProxyCertificates.GetPathLengthConstraint(cert));
        var ku = Assert.IsType<X509KeyUsageExtension>(cert.Extensions["2.5.29.15"]);
        Assert.True(ku.Critical);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, ku.KeyUsages);
        Assert.Equal("1.2.840.113549.1.1.11", cert.SignatureAlgorithm.Value);
        Assert.Equal(1024, proxy.KeySize);
        Assert.Equal("/DC=org/DC=toolkit/CN=Test User", proxy.Identity);
        Assert.Equal(user.Certificate.Thumbprint, proxy.Chain[0].Thumbprint);
    }

    [Fact]
    public void Lifetime_is_capped_at_the_issuer_and_proxy_of_proxy_verifies()
    {
        using var user = pki.LoadUser();
        using var first = ProxyFactory.CreateProxy(user, new ProxyOptions { Lifetime = TimeSpan.FromDays(1000) });
        Assert.Equal(user.Certificate.NotAfter, first.Certificate.NotAfter);

        using var second = ProxyFactory.CreateProxy(first, new ProxyOptions { Lifetime = TimeSpan.FromHours(1) });
        Assert.Equal(2, second.Chain.Count);
        string path = pki.NewFile("proxy2");
        second.WritePem(path);
        string untrusted = pki.NewFile("untrusted");
        File.WriteAllText(untrusted, first.Certificate.ExportCertificatePem() + "\n" + File.ReadAllText(pki.UserCert));
        var verify = Tool.Openssl("verify", "-allow_proxy_certs", "-CAfile", pki.CaPath, "-untrusted", untrusted, path);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        var gpi = Tool.Run("grid-proxy-info", ["-file", path], pki.ToolEnv);
        Assert.True(gpi.ExitCode == 0, gpi.ToString());
        Assert.Contains("identity : /DC=org/DC=toolkit/CN=Test User", gpi.Stdout);

        // Reloading the written file gives the same leaf and chain.
        using var reloaded = X509Credential.Load(path);
        Assert.Equal(second.Certificate.Thumbprint, reloaded.Certificate.Thumbprint);
        Assert.Equal(second.Chain.Select(c => c.Thumbprint), reloaded.Chain.Select(c => c.Thumbprint));
    }

    [Fact]
    public void Reads_a_grid_proxy_init_proxy()
    {
        string path = pki.NewFile("gpi");
        var r = Tool.Run("grid-proxy-init", ["-cert", pki.UserCert, "-key", pki.UserKey, "-out", path, "-valid", "3:00", "-bits", "2048"], pki.ToolEnv);
        Assert.True(r.ExitCode == 0, r.ToString());
        using var cred = X509Credential.Load(path);
        Assert.True(cred.IsProxy);
        Assert.Equal(ProxyKind.Rfc3820, cred.Kind);
        Assert.Equal("/DC=org/DC=toolkit/CN=Test User", cred.Identity);
        Assert.Equal("/DC=org/DC=toolkit/CN=Test User", cred.Issuer);
        Assert.StartsWith("/DC=org/DC=toolkit/CN=Test User/CN=", cred.Subject);
        Assert.Equal("RFC 3820 compliant impersonation proxy", ProxyCertificates.Describe(cred.Certificate));
        Assert.Equal(2048, cred.KeySize);
        var left = cred.TimeLeft(DateTimeOffset.UtcNow);
        Assert.InRange(left, TimeSpan.FromHours(2.9), TimeSpan.FromHours(3.01));
        Assert.Empty(cred.GetVomsAttributes());
        var info = Tool.Run("grid-proxy-info", ["-file", path, "-subject"], pki.ToolEnv);
        Assert.Equal(info.Stdout.Trim(), cred.Subject);
    }

    [Fact]
    public void Reads_voms_attributes_of_a_voms_proxy_fake_proxy()
    {
        string path = pki.NewFile("vpf");
        var r = Tool.Run("voms-proxy-fake", ["-cert", pki.UserCert, "-key", pki.UserKey, "-hostcert", pki.VomsCert, "-hostkey", pki.VomsKey,
            "-voms", "testvo", "-uri", "voms.toolkit.test:15000", "-fqan", "/testvo/Role=NULL/Capability=NULL",
            "-fqan", "/testvo/group1/Role=admin/Capability=NULL", "-rfc", "-hours", "2", "-out", path], pki.ToolEnv);
        Assert.True(r.ExitCode == 0, r.ToString());
        using var cred = X509Credential.Load(path);
        var voms = Assert.Single(cred.GetVomsAttributes());
        Assert.Equal("testvo", voms.Vo);
        Assert.Equal(["/testvo/Role=NULL/Capability=NULL", "/testvo/group1/Role=admin/Capability=NULL"], voms.Fqans);
        Assert.Equal("/DC=org/DC=toolkit/CN=voms.toolkit.test", voms.Issuer);
        Assert.Equal("voms.toolkit.test:15000", voms.ServerUri);
        Assert.InRange(voms.NotAfter - voms.NotBefore, TimeSpan.FromHours(1.99), TimeSpan.FromHours(2.01));
        Assert.NotEqual("", voms.SerialNumber);
        Assert.Equal("/DC=org/DC=toolkit/CN=Test User", cred.Identity);

        // The tool's own view agrees with ours.
        var info = Tool.Run("voms-proxy-info", ["-all", "-file", path], pki.ToolEnv);
        Assert.True(info.ExitCode == 0, info.ToString());
        foreach (var fqan in voms.Fqans)
        {
            Assert.Contains("attribute : " + fqan, info.Stdout);
        }
        Assert.Contains("issuer    : " + voms.Issuer, info.Stdout);

        // A proxy made from that VOMS proxy still shows the attributes (nearest proxy that has them).
        using var child = ProxyFactory.CreateProxy(cred, new ProxyOptions { Lifetime = TimeSpan.FromMinutes(30) });
        Assert.Equal("testvo", Assert.Single(child.GetVomsAttributes()).Vo);
    }
}
