using System;
using System.Collections.Generic;
using System.IO;
using Toolkit.Runtime.Security;

namespace Toolkit.Runtime.Tests.Security;

public sealed class DiscoveryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("toolkit-disc-").FullName;

    private string Touch(string relative)
    {
        string p = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(p)!);
        File.WriteAllText(p, "x");
        return p;
    }

    private CredentialSearchOptions Options(Dictionary<string, string> env) => new()
    {
        Environment = k => env.GetValueOrDefault(k),
        UserId = 4242,
        TempDirectory = Path.Combine(_dir, "tmp"),
        HomeDirectory = Path.Combine(_dir, "home"),
        HostCertificatePath = Path.Combine(_dir, "grid-security", "hostcert.pem"),
        HostKeyPath = Path.Combine(_dir, "grid-security", "hostkey.pem"),
    };

    [Fact]
    public void Follows_the_documented_order()
    {
        var env = new Dictionary<string, string>();
        var e = Assert.Throws<CredentialException>(() => CredentialDiscovery.Locate(Options(env)));
        Assert.Contains("x509up_u4242", e.Message);
        Assert.Contains("usercert.pem", e.Message);

        string hc = Touch("grid-security/hostcert.pem");
        Touch("grid-security/hostkey.pem");
        Assert.Equal(new CredentialLocation(hc, Path.Combine(_dir, "grid-security", "hostkey.pem"), CredentialSourceKind.HostCertificate), CredentialDiscovery.Locate(Options(env)));

        string uc = Touch("home/.globus/usercert.pem");
        string uk = Touch("home/.globus/userkey.pem");
        Assert.Equal(new CredentialLocation(uc, uk, CredentialSourceKind.GlobusDirectory), CredentialDiscovery.Locate(Options(env)));

        string ec = Touch("env/cert.pem");
        string ek = Touch("env/key.pem");
        env["X509_USER_CERT"] = ec;
        env["X509_USER_KEY"] = ek;
        Assert.Equal(new CredentialLocation(ec, ek, CredentialSourceKind.UserCertificateVariables), CredentialDiscovery.Locate(Options(env)));

        string dp = Touch("tmp/x509up_u4242");
        Assert.Equal(new CredentialLocation(dp, dp, CredentialSourceKind.DefaultProxyFile), CredentialDiscovery.Locate(Options(env)));

        string vp = Touch("env/proxy.pem");
        env["X509_USER_PROXY"] = vp;
        Assert.Equal(new CredentialLocation(vp, vp, CredentialSourceKind.UserProxyVariable), CredentialDiscovery.Locate(Options(env)));

        string xp = Touch("explicit.pem");
        Assert.Equal(CredentialSourceKind.Explicit, CredentialDiscovery.Locate(Options(env) with { ProxyPath = xp }).Kind);
        Assert.Equal(new CredentialLocation(ec, ek, CredentialSourceKind.Explicit), CredentialDiscovery.Locate(Options(env) with { CertificatePath = ec, KeyPath = ek }));
    }

    [Fact]
    public void A_named_but_missing_file_is_an_error_not_a_fall_through()
    {
        Touch("home/.globus/usercert.pem");
        Touch("home/.globus/userkey.pem");
        var env = new Dictionary<string, string> { ["X509_USER_PROXY"] = Path.Combine(_dir, "missing") };
        var e = Assert.Throws<CredentialException>(() => CredentialDiscovery.Locate(Options(env)));
        Assert.Contains("X509_USER_PROXY", e.Message);
        Assert.Contains("missing", e.Message);
        env.Clear();
        env["X509_USER_CERT"] = Path.Combine(_dir, "c");
        Assert.Throws<CredentialException>(() => CredentialDiscovery.Locate(Options(env)));
    }

    [Fact]
    public void User_certificate_for_proxy_creation_skips_proxies_and_the_host_certificate()
    {
        var env = new Dictionary<string, string>();
        Touch("tmp/x509up_u4242");
        Touch("grid-security/hostcert.pem");
        Touch("grid-security/hostkey.pem");
        string home = Path.Combine(_dir, "home");
        // ~/.globus is the answer even before its files exist, so loading names the missing file.
        Assert.Equal(new CredentialLocation(Path.Combine(home, ".globus", "usercert.pem"), Path.Combine(home, ".globus", "userkey.pem"), CredentialSourceKind.GlobusDirectory),
            CredentialDiscovery.LocateUserCertificate(Options(env)));

        env["X509_USER_CERT"] = "/e/cert.pem";
        Assert.Throws<CredentialException>(() => CredentialDiscovery.LocateUserCertificate(Options(env)));
        env["X509_USER_KEY"] = "/e/key.pem";
        env["X509_USER_PROXY"] = "/e/proxy.pem";
        Assert.Equal(new CredentialLocation("/e/cert.pem", "/e/key.pem", CredentialSourceKind.UserCertificateVariables), CredentialDiscovery.LocateUserCertificate(Options(env)));
        Assert.Equal(new CredentialLocation("/x/c.pem", "/x/c.pem", CredentialSourceKind.Explicit), CredentialDiscovery.LocateUserCertificate(Options(env) with { CertificatePath = "/x/c.pem" }));
        Assert.Equal(new CredentialLocation("/x/c.pem", "/x/k.pem", CredentialSourceKind.Explicit), CredentialDiscovery.LocateUserCertificate(Options(env) with { CertificatePath = "/x/c.pem", KeyPath = "/x/k.pem" }));
    }

    [Fact]
    public void Default_proxy_path_is_the_variable_else_the_uid_file()
    {
        var env = new Dictionary<string, string>();
        Assert.Equal(Path.Combine(_dir, "tmp", "x509up_u4242"), CredentialDiscovery.DefaultProxyPath(Options(env)));
        env["X509_USER_PROXY"] = " ";
        Assert.Equal(Path.Combine(_dir, "tmp", "x509up_u4242"), CredentialDiscovery.DefaultProxyPath(Options(env)));
        env["X509_USER_PROXY"] = "/e/proxy.pem";
        Assert.Equal("/e/proxy.pem", CredentialDiscovery.DefaultProxyPath(Options(env)));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
