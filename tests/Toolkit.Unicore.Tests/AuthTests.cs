using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.Runtime.Security;

namespace Toolkit.Unicore.Tests;

/// <summary>Credentials, anonymous access, security sessions and user preferences against the peer.</summary>
public sealed class AuthTests(PeerFixture fx) : IClassFixture<PeerFixture>
{
    [Fact]
    public async Task Anonymous_access_is_detected_and_refused_clearly()
    {
        using var client = fx.Client(UnicoreCredential.Anonymous);
        var info = await client.GetSiteInfoAsync();
        Assert.True(UnicoreClient.IsAnonymous(info));
        var e = await Assert.ThrowsAsync<UnicoreAnonymousException>(() => client.ConnectAsync());
        Assert.Contains("anonymous", e.Message, StringComparison.Ordinal);
        Assert.Contains(fx.Peer.SiteUrl.ToString(), e.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<UnicoreException>(e);
        await Assert.ThrowsAsync<UnicoreForbiddenException>(() => client.ListJobsAsync());
    }

    [Fact]
    public async Task A_wrong_password_is_a_401_with_the_servers_errorMessage()
    {
        using var client = fx.Client(UnicoreCredential.Basic("demouser", "wrong"));
        var e = await Assert.ThrowsAsync<UnicoreAuthenticationException>(() => client.ConnectAsync());
        Assert.Equal(401, e.StatusCode);
        Assert.StartsWith("Authentication failed: invalid username or password (GET " + fx.Peer.SiteUrl, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bearer_tokens_and_the_refresh_callback()
    {
        using (var client = fx.Client(UnicoreCredential.Bearer(PeerFixture.BearerToken)))
        {
            Assert.Equal("UID=demouser", (await client.ConnectAsync()).Client!.Dn);
        }

        int refreshed = 0;
        using var stale = fx.Client(UnicoreCredential.Bearer("expired-token", _ =>
        {
            Interlocked.Increment(ref refreshed);
            return Task.FromResult(PeerFixture.BearerToken);
        }), o => o with { UseSecuritySessions = false });
        Assert.Equal("UID=demouser", (await stale.ConnectAsync()).Client!.Dn);
        Assert.Equal(1, refreshed);
    }

    [Fact]
    public async Task Signed_JWTs_RS256_and_ES256_are_verified_by_the_peer_with_the_public_key()
    {
        using (var rsa = fx.Client(UnicoreCredential.Jwt("demouser", PeerFixture.RsaKey), o => o with { UseSecuritySessions = false }))
        {
            Assert.Equal("UID=demouser", (await rsa.ConnectAsync()).Client!.Dn);
            Assert.Contains(fx.Peer.Requests, r => r.Contains(" auth=jwt ", StringComparison.Ordinal));
        }

        using (var ec = fx.Client(UnicoreCredential.Jwt("ecuser", PeerFixture.EcKey)))
        {
            Assert.Equal("UID=ecuser", (await ec.ConnectAsync()).Client!.Dn);
        }

        using var otherKey = RSA.Create(2048);
        using var forged = fx.Client(UnicoreCredential.Jwt("demouser", otherKey));
        var e = await Assert.ThrowsAsync<UnicoreAuthenticationException>(() => forged.ConnectAsync());
        Assert.Contains("bad signature", e.Message, StringComparison.Ordinal);

        using var expired = fx.Client(UnicoreCredential.Jwt("demouser", PeerFixture.RsaKey, timeProvider: new ShiftedClock(TimeSpan.FromHours(-1))));
        Assert.Contains("expired", (await Assert.ThrowsAsync<UnicoreAuthenticationException>(() => expired.ConnectAsync())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JWT_keys_come_from_private_PEM_and_OpenSSH_files()
    {
        var dir = fx.NewDir();
        var pem = Path.Combine(dir, "key.pem");
        await File.WriteAllTextAsync(pem, PeerFixture.RsaKey.ExportPkcs8PrivateKeyPem());
        File.SetUnixFileMode(pem, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using (var client = fx.Client(UnicoreCredential.JwtFromKeyFile("demouser", pem)))
        {
            Assert.Equal("UID=demouser", (await client.ConnectAsync()).Client!.Dn);
        }

        File.SetUnixFileMode(pem, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        await Assert.ThrowsAnyAsync<CredentialException>(() => Task.Run(() => UnicoreCredential.JwtFromKeyFile("demouser", pem)));

        foreach (var (type, bits) in new[] { ("rsa", "2048"), ("ecdsa", "256") })
        {
            var key = Path.Combine(dir, "id_" + type);
            Tool.MustRun("ssh-keygen", "-q", "-t", type, "-b", bits, "-N", "", "-f", key);
            var pub = (await File.ReadAllTextAsync(key + ".pub")).Split(' ')[1];
            var credential = UnicoreCredential.JwtFromKeyFile(type == "rsa" ? "sshrsa" : "sshec", key);
            fx.Peer.Options.JwtKeys[type == "rsa" ? "sshrsa" : "sshec"] = PublicKeyFromOpenSsh(key);
            using var client = fx.Client(credential);
            Assert.Equal(type == "rsa" ? "UID=sshrsa" : "UID=sshec", (await client.ConnectAsync()).Client!.Dn);
            Assert.NotEmpty(pub);
        }

        var ed = Path.Combine(dir, "id_ed25519");
        Tool.MustRun("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", ed);
        Assert.Contains("Ed25519", Assert.Throws<CredentialException>(() => UnicoreCredential.JwtFromKeyFile("x", ed)).Message, StringComparison.Ordinal);
        var enc = Path.Combine(dir, "id_enc");
        Tool.MustRun("ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "secret", "-f", enc);
        Assert.Contains("encrypted", Assert.Throws<CredentialException>(() => UnicoreCredential.JwtFromKeyFile("x", enc)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_security_session_is_echoed_and_an_expired_one_is_retried_once_with_credentials()
    {
        using var client = fx.Client(UnicoreCredential.Basic("other", "pw"));
        await client.ConnectAsync();
        var session = client.SecuritySession;
        Assert.NotNull(session);
        var before = fx.Peer.Requests.Count;
        await client.ListJobsAsync();
        var sent = fx.Peer.Requests.Skip(before).ToList();
        Assert.All(sent, r => Assert.Contains("session=yes", r, StringComparison.Ordinal));

        fx.Peer.ExpireSessions();
        before = fx.Peer.Requests.Count;
        await client.ConnectAsync();
        sent = fx.Peer.Requests.Skip(before).ToList();
        Assert.Equal(2, sent.Count);
        Assert.Contains("session=expired", sent[0], StringComparison.Ordinal);
        Assert.Contains("auth=basic session=no", sent[1], StringComparison.Ordinal);
        Assert.NotEqual(session, client.SecuritySession);
    }

    [Fact]
    public async Task Changing_the_preferences_resets_the_session_and_sends_them()
    {
        using var client = fx.Client();
        await client.ConnectAsync();
        Assert.NotNull(client.SecuritySession);
        client.SetPreferences(uid: "nobody", group: "hpc");
        Assert.Null(client.SecuritySession);
        Assert.Equal("uid:nobody,group:hpc", client.Preferences);
        var before = fx.Peer.Requests.Count;
        var info = await client.ConnectAsync();
        Assert.Equal("nobody", info.Client!.Xlogin!.Uid);
        Assert.Equal("hpc", info.Client.Xlogin.Group);
        Assert.Contains("auth=basic session=no prefs=uid:nobody,group:hpc", fx.Peer.Requests.Skip(before).First(), StringComparison.Ordinal);

        client.Preferences = "role:admin";
        var e = await Assert.ThrowsAsync<UnicoreForbiddenException>(() => client.ConnectAsync());
        Assert.Contains("role:admin", e.Message, StringComparison.Ordinal);
    }

    private static AsymmetricAlgorithm PublicKeyFromOpenSsh(string privateKeyPath)
    {
        var pem = Tool.MustRun("ssh-keygen", "-e", "-m", "PKCS8", "-f", privateKeyPath + ".pub").Stdout;
        var key = privateKeyPath.EndsWith("rsa", StringComparison.Ordinal) ? (AsymmetricAlgorithm)RSA.Create() : ECDsa.Create();
        key.ImportFromPem(pem);
        return key;
    }

    private sealed class ShiftedClock(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
    }
}
