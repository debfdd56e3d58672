using System;
using System.IO;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.JAliEn.Connection;
using Toolkit.Runtime.Security;

namespace Toolkit.JAliEn.Tests;

/// <summary>Each bad input gives a typed error that names what went wrong; nothing hangs.</summary>
[Collection("jalien")]
public sealed class BadInputTests(JAlienFixture fx)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private async Task<(AlienConnection C, Toolkit.Peers.JAliEn.JAlienPeer Peer)> OwnPeerAsync()
    {
        var peer = await fx.StartPeerAsync(TimeSpan.FromMinutes(1));
        var c = await AlienConnection.ConnectAsync(JAlienFixture.Options(fx.NewEnvironment(peer)), Ct);
        return (c, peer);
    }

    [Theory]
    [InlineData("<html>502 Bad Gateway</html>", "not valid JSON", "$")]
    [InlineData("{\"results\": []}", "no metadata object", "$.metadata")]
    [InlineData("{\"metadata\": [], \"results\": []}", "not an object", "$.metadata")]
    [InlineData("{\"metadata\": {\"exitcode\": \"zero\", \"user\": \"jdoe\"}, \"results\": []}", "exitcode is not a number ('zero')", "$.metadata.exitcode")]
    [InlineData("{\"metadata\": {\"user\": \"jdoe\"}, \"results\": []}", "no metadata.exitcode", "$.metadata.exitcode")]
    [InlineData("{\"metadata\": {\"exitcode\": \"0\"}, \"results\": [{\"a\": ", "not valid JSON", "$")]
    public async Task Malformed_reply_is_a_typed_protocol_error(string raw, string expected, string? path)
    {
        var (c, peer) = await OwnPeerAsync();
        await using (peer)
        await using (c)
        {
            peer.NextRawReply = raw;
            var e = await Assert.ThrowsAsync<AlienProtocolException>(() => c.SendAsync(new AlienCommandLine("ls", []), Ct));
            Assert.Contains(expected, e.Message, StringComparison.Ordinal);
            Assert.Contains("'ls'", e.Message, StringComparison.Ordinal);
            Assert.Equal(path, e.JsonPath);
            Assert.True(e.ByteOffset >= 0);
            // The next command works.
            Assert.Contains("pong", Encoding.UTF8.GetString((await c.SendAsync(new AlienCommandLine("ping", []), Ct)).Span), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Socket_closed_in_the_middle_of_a_reply_is_an_error_not_a_retry()
    {
        var (c, peer) = await OwnPeerAsync();
        await using (peer)
        await using (c)
        {
            peer.DropNextReplyAfter = 25;
            var e = await Assert.ThrowsAsync<AlienConnectionException>(() => c.SendAsync(new AlienCommandLine("mkdir", ["once"]), Ct));
            Assert.Contains("middle of the reply to 'mkdir' after 25 bytes", e.Message, StringComparison.Ordinal);
            // The command was not sent twice, and the connection recovers on the next command.
            Assert.Single(peer.Log, l => l == "mkdir once");
            Assert.Contains("pong", Encoding.UTF8.GetString((await c.SendAsync(new AlienCommandLine("ping", []), Ct)).Span), StringComparison.Ordinal);
            Assert.Equal(1, c.Reconnects);
        }
    }

    [Fact]
    public async Task Receive_timeout_is_named()
    {
        await using var peer = await fx.StartPeerAsync(TimeSpan.FromMinutes(1));
        var o = JAlienFixture.Options(fx.NewEnvironment(peer));
        await using var c = await AlienConnection.ConnectAsync(new AlienConnectionOptions { Environment = o.Environment, ReceiveTimeout = TimeSpan.FromMilliseconds(300), RefreshToken = false }, Ct);
        peer.StallNextReply = true;
        var e = await Assert.ThrowsAsync<AlienConnectionException>(() => c.SendAsync(new AlienCommandLine("ping", []), Ct));
        Assert.Contains("no complete reply to 'ping'", e.Message, StringComparison.Ordinal);
        Assert.Contains("0.3 s", e.Message, StringComparison.Ordinal);

        // A caller's cancellation is an OperationCanceledException, not a timeout error.
        peer.StallNextReply = true;
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => c.SendAsync(new AlienCommandLine("ping", []), cts.Token));
    }

    [Fact]
    public void Expired_token_without_user_certificate_names_the_token_and_its_expiry()
    {
        var env = fx.NewEnvironment();
        WriteToken(env, DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(-1));
        env.Remove("X509_USER_CERT");
        var e = Assert.Throws<CredentialException>(() => AlienCredentials.Discover(JAlienFixture.Env(env), DateTimeOffset.UtcNow));
        Assert.Contains("token certificate", e.Message, StringComparison.Ordinal);
        Assert.Contains("less than 600 s left", e.Message, StringComparison.Ordinal);
        Assert.IsType<CredentialValidityException>(e.InnerException);
        Assert.True(((CredentialValidityException)e.InnerException!).IsExpired);
    }

    [Fact]
    public async Task Token_with_less_than_600_s_left_falls_back_to_the_user_certificate()
    {
        var env = fx.NewEnvironment();
        WriteToken(env, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddSeconds(300));
        using (var creds = AlienCredentials.Discover(JAlienFixture.Env(env), DateTimeOffset.UtcNow))
        {
            Assert.False(creds.IsToken);
            Assert.Contains("Test User", creds.Credential.Subject, StringComparison.Ordinal);
        }
        WriteToken(env, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddSeconds(900));
        using (var creds = AlienCredentials.Discover(JAlienFixture.Env(env), DateTimeOffset.UtcNow))
        {
            Assert.True(creds.IsToken);
        }
        await Task.CompletedTask;
    }

    [Fact]
    public void Token_key_readable_by_others_is_refused_not_skipped()
    {
        var env = fx.NewEnvironment();
        var (_, key) = WriteToken(env, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(5));
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var e = Assert.Throws<CredentialException>(() => AlienCredentials.Discover(JAlienFixture.Env(env), DateTimeOffset.UtcNow));
        Assert.Contains("group or others", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_CA_anywhere_lists_where_it_looked()
    {
        var env = fx.NewEnvironment();
        env.Remove("X509_CERT_DIR");
        env["X509_CERT_FILE"] = Path.Combine(env["TMPDIR"], "missing.pem");
        Assert.ThrowsAny<CredentialException>(() => AlienCredentials.LoadTrust(JAlienFixture.Env(env)));
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("[\"command\", \"ls\"]")]
    [InlineData("{\"command\": 42}")]
    [InlineData("{\"command\": \"ls\", \"options\": \"-l\"}")]
    public async Task Peer_answers_bad_json_with_EINVAL(string request)
    {
        var reply = await RawAsync(Encoding.UTF8.GetBytes(request));
        Assert.Contains("\"exitcode\":\"22\"", reply, StringComparison.Ordinal);
        Assert.Contains("Incoming JSON is not ok", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Peer_answers_a_request_over_130_KiB_with_message_too_big()
    {
        var big = Encoding.UTF8.GetBytes("{\"command\":\"echo\",\"options\":[\"" + new string('y', 131 * 1024) + "\"]}");
        var reply = await RawAsync(big);
        Assert.Contains("\"exitcode\":\"22\"", reply, StringComparison.Ordinal);
        Assert.Contains("Message too big", reply, StringComparison.Ordinal);
    }

    private async Task<string> RawAsync(byte[] request)
    {
        using var user = X509Credential.Load(fx.Pki.UserCert, fx.Pki.UserKey);
        using var handler = GridTls.CreateHttpHandler(new GridTlsOptions { ClientCredential = user, TrustStore = TrustStore.Load(fx.Pki.CertDir), CheckHostName = false });
        using var invoker = new System.Net.Http.HttpMessageInvoker(handler);
        using var ws = new ClientWebSocket();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await ws.ConnectAsync(new Uri($"wss://127.0.0.1:{fx.Peer.Port}/websocket/json"), invoker, cts.Token);
        await ws.SendAsync(request, WebSocketMessageType.Text, true, cts.Token);
        var buffer = new byte[1 << 16];
        int n = 0;
        while (true)
        {
            var r = await ws.ReceiveAsync(buffer.AsMemory(n), cts.Token);
            n += r.Count;
            if (r.EndOfMessage)
            {
                break;
            }
        }
        return Encoding.UTF8.GetString(buffer, 0, n);
    }

    private (string Cert, string Key) WriteToken(System.Collections.Generic.Dictionary<string, string> env, DateTimeOffset from, DateTimeOffset to)
    {
        // Discovery does not verify the chain, so an in-memory CA that has existed for a while will do (the test CA
        // was made seconds ago and cannot sign certificates valid before that).
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=Old Test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(30));
        using var key = RSA.Create(2048);
        var req = new CertificateRequest("CN=Users, CN=jdoe, OU=token-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = req.Create(ca, from, to, [1, 2, 3, 4]);
        string uid = AlienEnvironment.ProcessUserId().ToString(System.Globalization.CultureInfo.InvariantCulture);
        string certPath = Path.Combine(env["TMPDIR"], "tokencert_" + uid + ".pem"), keyPath = Path.Combine(env["TMPDIR"], "tokenkey_" + uid + ".pem");
        SecureFile.WriteAllText(certPath, cert.ExportCertificatePem());
        SecureFile.WriteAllText(keyPath, key.ExportRSAPrivateKeyPem());
        return (certPath, keyPath);
    }
}
