using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Toolkit.Peers.DataDispatcher;
using Toolkit.DataDispatcher;
using Toolkit.Runtime.Security;

namespace Toolkit.DataDispatcher.Tests;

public sealed class AuthTests(PeerFixture fx) : IClassFixture<PeerFixture>
{
    [Fact]
    public void Digest_response_matches_the_rfc_2617_example()
    {
        // RFC 2617 §3.5: Mufasa / "Circle Of Life" at testrealm@host.com.
        Assert.True(DigestChallenge.TryParse("realm=\"testrealm@host.com\", qop=\"auth,auth-int\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"", out var challenge));
        var response = DigestAuthHandler.ComputeResponse(challenge!, "Mufasa", "Circle Of Life", "GET", "/dir/index.html", "0a4f113b", 1);
        Assert.Equal("6629fae49393a05397450978507c4ef1", response);

        // The peer's verifier (stored HA1, qop=auth) accepts the same vector and rejects a changed one.
        var fields = PeerDigest.ParseHeader("username=\"Mufasa\", realm=\"testrealm@host.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"/dir/index.html\", qop=auth, nc=00000001, cnonce=\"0a4f113b\", response=\"6629fae49393a05397450978507c4ef1\"");
        var ha1 = PeerDigest.Ha1("Mufasa", "testrealm@host.com", "Circle Of Life");
        Assert.Equal("6629fae49393a05397450978507c4ef1", PeerDigest.Expected(fields, ha1, "GET"));
        Assert.NotEqual("6629fae49393a05397450978507c4ef1", PeerDigest.Expected(fields, ha1, "POST"));
    }

    [Fact]
    public async Task Digest_login_stores_the_token_from_the_header_in_the_library_and_auth_info_verifies_it()
    {
        var dir = fx.NewDir();
        using var client = fx.Client(dir: dir);
        Assert.Null(client.CurrentToken());
        var info = await client.LoginDigestAsync("alice", "alice-pw");
        Assert.Equal("alice", info.User);
        Assert.True(info.ExpiresAt > DateTimeOffset.UtcNow.AddDays(6));

        var lines = File.ReadAllLines(Path.Combine(dir, ".token_library"));
        var line = Assert.Single(lines);
        Assert.Equal(fx.Peer.DataUrl.ToString(), line.Split(' ')[0]);
        Assert.Equal(client.CurrentToken(), line.Split(' ')[1]);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir, ".token_library")));

        var verified = await client.AuthInfoAsync();
        Assert.Equal("alice", verified.User);
        Assert.Equal("alice", await client.WhoAmIAsync());

        // A second client with the same library (the Python client would do the same) is logged in.
        using var again = fx.Client(dir: dir);
        Assert.Equal("alice", (await again.AuthInfoAsync()).User);

        // The first digest request goes without credentials and is challenged; the second carries them.
        Assert.Contains(fx.Peer.Requests, r => r.StartsWith("GET /dd/data/auth/auth?method=digest&username=alice", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Digest_login_with_a_wrong_password_is_a_typed_401_with_the_server_text()
    {
        using var client = fx.Client();
        var e = await Assert.ThrowsAsync<DataDispatcherAuthenticationFailedException>(() => client.LoginDigestAsync("alice", "wrong"));
        Assert.Equal(401, e.StatusCode);
        Assert.Equal("Authentication failed", e.Message);
        Assert.Null(client.CurrentToken());
    }

    [Fact]
    public async Task Ldap_login_and_password_login_falling_back_to_digest()
    {
        using var client = fx.Client();
        Assert.Equal("alice", (await client.LoginLdapAsync("alice", "alice-ldap")).User);
        await Assert.ThrowsAsync<DataDispatcherAuthenticationFailedException>(() => client.LoginLdapAsync("alice", "alice-pw"));

        // bob has no LDAP entry: login_password tries LDAP, is refused, and succeeds with digest.
        using var bob = fx.Client();
        Assert.Equal("bob", (await bob.LoginPasswordAsync("bob", "bob-pw")).User);
        var e = await Assert.ThrowsAsync<DataDispatcherAuthenticationFailedException>(() => bob.LoginPasswordAsync("bob", "nope"));
        Assert.Equal(401, e.StatusCode);
    }

    [Fact]
    public async Task Ldap_not_configured_is_reported_with_the_server_text()
    {
        fx.Peer.LdapConfigured = false;
        try
        {
            using var client = fx.Client();
            var e = await Assert.ThrowsAsync<DataDispatcherAuthenticationFailedException>(() => client.LoginLdapAsync("alice", "alice-ldap"));
            Assert.Equal("LDAP is not configured", e.Message);
            Assert.Equal("alice", (await client.LoginPasswordAsync("alice", "alice-pw")).User);
        }
        finally
        {
            fx.Peer.LdapConfigured = true;
        }
    }

    [Fact]
    public async Task Token_login_exchanges_a_token_keeping_its_expiry()
    {
        var presented = fx.Peer.IssueToken("bob", TimeSpan.FromHours(2));
        using var client = fx.Client();
        var info = await client.LoginTokenAsync("bob", presented);
        Assert.Equal("bob", info.User);
        Assert.Equal(JwtInfo.Parse(presented).ExpiresAt, info.ExpiresAt);
        Assert.NotEqual(presented, client.CurrentToken());
        await Assert.ThrowsAsync<DataDispatcherAuthenticationFailedException>(() => client.LoginTokenAsync("alice", presented));
    }

    [Fact]
    public async Task Auth_info_without_a_token_and_with_an_expired_or_forged_token()
    {
        using var none = fx.Client();
        await Assert.ThrowsAsync<DataDispatcherAuthException>(() => none.AuthInfoAsync());

        // An expired token is not used (as the seed, it is re-read from the library, which has none).
        var expired = fx.Peer.IssueToken("alice", TimeSpan.FromSeconds(-10));
        using var old = fx.Client(token: expired);
        Assert.Null(old.CurrentToken());

        var forged = fx.AliceToken[..^4] + "AAAA";
        using var bad = fx.Client(token: forged);
        var e = await Assert.ThrowsAsync<DataDispatcherAuthenticationFailedException>(() => bad.AuthInfoAsync());
        Assert.Equal("Invalid token signature", e.Message);
        Assert.Equal(string.Empty, await bad.WhoAmIAsync());
    }

    [Fact]
    public async Task Version_is_plain_text()
    {
        using var client = fx.Client();
        Assert.Equal("2.0.3", await client.VersionAsync());
        Assert.Equal("OK", await client.Data.ProbeAsync());
    }

    [Fact]
    public void Auth_server_url_defaults_to_base_slash_auth_and_env_vars_are_read()
    {
        using var c = new DataDispatcherClient(DataDispatcherClientOptions.FromEnvironment(n => n switch { "DATA_DISPATCHER_URL" => "https://dd.example.org:8443/dd/data", _ => null }) with
        {
            TokenLibrary = Path.Combine(fx.NewDir(), "lib"),
        });
        Assert.Equal("https://dd.example.org:8443/dd/data", c.ServerUrl);
        Assert.Equal("https://dd.example.org:8443/dd/data/auth", c.AuthServerUrl);

        using var d = new DataDispatcherClient(DataDispatcherClientOptions.FromEnvironment(n => n switch { "DATA_DISPATCHER_URL" => "https://a/dd/data", "DATA_DISPATCHER_AUTH_URL" => "https://b/auth", _ => null }) with
        {
            TokenLibrary = Path.Combine(fx.NewDir(), "lib"),
        });
        Assert.Equal("https://b/auth", d.AuthServerUrl);

        var e = Assert.Throws<ArgumentException>(() => new DataDispatcherClient(DataDispatcherClientOptions.FromEnvironment(_ => null)));
        Assert.Contains("DATA_DISPATCHER_URL", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new DataDispatcherClient(new DataDispatcherClientOptions { ServerUrl = "ftp://x/y", Environment = _ => null }));
    }

    [Fact]
    public void Worker_id_file_is_read_or_created_in_the_current_directory()
    {
        var dir = fx.NewDir();
        using var c = fx.Client(dir: dir);
        var id = c.WorkerId;
        Assert.Matches("^[0-9a-f]{8}$", id);
        Assert.Equal(id, File.ReadAllText(Path.Combine(dir, ".data_dispatcher_worker_id")));
        using var c2 = fx.Client(dir: dir);
        Assert.Equal(id, c2.WorkerId);

        Assert.Equal("w-123", c2.NewWorkerId("w-123"));
        Assert.Equal("w-123", c2.WorkerId);
        Assert.Equal("w-123", File.ReadAllText(Path.Combine(dir, ".data_dispatcher_worker_id")));
        var generated = c2.NewWorkerId();
        Assert.Matches("^[0-9a-f]{8}$", generated);
        Assert.Matches("^job-[0-9a-f]{8}$", DataDispatcherClient.RandomWorkerId("job-"));
        Assert.Equal(200, Enumerable.Range(0, 200).Select(_ => DataDispatcherClient.GenerateWorkerId()).Distinct().Count());
    }
}
