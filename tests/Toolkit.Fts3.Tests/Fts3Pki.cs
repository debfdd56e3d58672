using System;
using System.IO;
using Toolkit.Peers.Fts3;
using Toolkit.Fts3;
using Toolkit.Runtime.Security;

namespace Toolkit.Fts3.Tests;

/// <summary>The openssl test PKI plus an admin user and proxy files for the FTS3 tests.</summary>
public sealed class Fts3Pki : IDisposable
{
    public Fts3Pki()
    {
        Pki = new GridPki();
        AdminKey = Pki.P("adminkey.pem");
        AdminCert = Pki.P("admincert.pem");
        Tool.MustRun("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", AdminKey, "-out", Pki.P("admin.csr"), "-subj", "/DC=org/DC=toolkit/CN=Grid Admin", "-config", Pki.P("ext.cnf"));
        Tool.MustRun("openssl", "x509", "-req", "-in", Pki.P("admin.csr"), "-CA", Pki.CaPath, "-CAkey", Pki.CaKeyPath, "-set_serial", "7654321",
            "-days", "10", "-extfile", Pki.P("ext.cnf"), "-extensions", "user_ext", "-out", AdminCert);
        File.SetUnixFileMode(AdminKey, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var user = Pki.LoadUser();
        using var proxy = ProxyFactory.CreateProxy(user, new ProxyOptions { Lifetime = TimeSpan.FromHours(12) });
        ProxyPath = Pki.P("x509up_test");
        proxy.WritePem(ProxyPath);
    }

    public GridPki Pki { get; }

    public string AdminCert { get; }

    public string AdminKey { get; }

    /// <summary>A 12 h RFC 3820 proxy of the test user (certificate, key, user certificate).</summary>
    public string ProxyPath { get; }

    public const string UserDn = "/DC=org/DC=toolkit/CN=Test User";

    public const string AdminDn = "/DC=org/DC=toolkit/CN=Grid Admin";

    public FtsPeerOptions PeerOptions(bool requireCertificate = true) => new() { Admins = new[] { AdminDn }, RequireClientCertificate = requireCertificate };

    public Fts3ContextOptions Options(FtsPeer peer, string? proxy = null, bool admin = false) => new()
    {
        Endpoint = peer.BaseAddress,
        ProxyPath = admin ? null : proxy ?? ProxyPath,
        CertificatePath = admin ? AdminCert : null,
        KeyPath = admin ? AdminKey : null,
        CaPath = Pki.CertDir,
        Environment = _ => null,
    };

    public void Dispose() => Pki.Dispose();
}

[CollectionDefinition("fts3")]
public sealed class Fts3Collection : ICollectionFixture<Fts3Pki>
{
}

/// <summary>The CLI tests (slow: they start processes) get their own PKI so they run in parallel with the others.</summary>
[CollectionDefinition("fts3-cli")]
public sealed class Fts3CliCollection : ICollectionFixture<Fts3Pki>
{
}
