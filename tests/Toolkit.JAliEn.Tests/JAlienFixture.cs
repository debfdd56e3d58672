using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using Toolkit.JAliEn.Connection;
using Toolkit.Peers.JAliEn;

namespace Toolkit.JAliEn.Tests;

/// <summary>A test PKI (openssl), and the JAliEn peer mapping the test user's DN to <c>jdoe</c>.</summary>
public sealed class JAlienFixture : IAsyncLifetime
{
    public const string UserDn = "/DC=org/DC=toolkit/CN=Test User";

    public GridPki Pki { get; } = new();

    public JAlienPeer Peer { get; private set; } = null!;

    public async Task InitializeAsync() => Peer = await StartPeerAsync(TimeSpan.FromMinutes(15));

    public async Task<JAlienPeer> StartPeerAsync(TimeSpan idle, Action<JAlienPeerOptions>? configure = null, int port = 0)
    {
        var options = new JAlienPeerOptions
        {
            Port = port,
            CertificatePath = Pki.ServerCert, KeyPath = Pki.ServerKey, CaDirectory = Pki.CertDir,
            CaCertificatePath = Pki.CaPath, CaKeyPath = Pki.CaKeyPath, IdleTimeout = idle,
        };
        configure?.Invoke(options);
        var peer = await JAlienPeer.StartAsync(options);
        peer.AddAccount(UserDn, "jdoe");
        return peer;
    }

    /// <summary>A fresh environment: own TMPDIR (no token yet), the user certificate, the test CAs, the peer's port.</summary>
    public Dictionary<string, string> NewEnvironment(JAlienPeer? peer = null)
    {
        string tmp = Directory.CreateTempSubdirectory("toolkit-jalien-").FullName;
        return new Dictionary<string, string>
        {
            ["TMPDIR"] = tmp,
            ["X509_USER_CERT"] = Pki.UserCert,
            ["X509_USER_KEY"] = Pki.UserKey,
            ["X509_CERT_DIR"] = Pki.CertDir,
            ["ALIENPY_JCENTRAL"] = "127.0.0.1",
            ["ALIENPY_JCENTRAL_PORT"] = (peer ?? Peer).Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    public static AlienConnectionOptions Options(Dictionary<string, string> env) =>
        AlienConnectionOptions.FromEnvironment(Env(env));

    public static AlienEnvironment Env(Dictionary<string, string> env) => AlienEnvironment.FromDictionary(env, env["TMPDIR"]);

    public async Task DisposeAsync()
    {
        await Peer.DisposeAsync();
        Pki.Dispose();
    }
}

[CollectionDefinition("jalien")]
public sealed class JAlienCollection : ICollectionFixture<JAlienFixture>;
