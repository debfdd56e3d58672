using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.JAliEn.Connection;
using Toolkit.Runtime.Security;

namespace Toolkit.JAliEn.Tests;

[Collection("jalien")]
public sealed class ConnectionTests(JAlienFixture fx)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private static string Text(ReadOnlyMemory<byte> reply) => Encoding.UTF8.GetString(reply.Span);

    [Fact]
    public async Task User_certificate_session_starts_maps_the_account_and_writes_a_token()
    {
        var env = fx.NewEnvironment();
        await using var c = await AlienConnection.ConnectAsync(JAlienFixture.Options(env), Ct);
        Assert.False(c.UsesToken);
        Assert.Equal("jdoe", c.User);
        Assert.Equal("/alice/cern.ch/user/j/jdoe/", c.HomeDirectory);
        Assert.Equal(c.HomeDirectory, c.CurrentDirectory);
        Assert.Contains("ls", c.ServerCommands);
        Assert.Contains("access", c.ServerCommands);
        string uid = AlienEnvironment.ProcessUserId().ToString(System.Globalization.CultureInfo.InvariantCulture);
        string cert = Path.Combine(env["TMPDIR"], "tokencert_" + uid + ".pem"), key = Path.Combine(env["TMPDIR"], "tokenkey_" + uid + ".pem");
        Assert.True(File.Exists(cert));
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(key));

        // The next session uses the token the first one received, and the server maps it to the same account.
        await using var t = await AlienConnection.ConnectAsync(JAlienFixture.Options(env), Ct);
        Assert.True(t.UsesToken);
        Assert.Equal("jdoe", t.User);
        Assert.Contains("\"pwd\":\"/alice/cern.ch/user/j/jdoe/\"", Text(await t.SendAsync(new AlienCommandLine("pwd", []), Ct)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inline_pem_token_in_the_environment_is_used_and_not_written_back()
    {
        var env = fx.NewEnvironment();
        await using (await AlienConnection.ConnectAsync(JAlienFixture.Options(env), Ct))
        {
        }
        string uid = AlienEnvironment.ProcessUserId().ToString(System.Globalization.CultureInfo.InvariantCulture);
        string certPath = Path.Combine(env["TMPDIR"], "tokencert_" + uid + ".pem"), keyPath = Path.Combine(env["TMPDIR"], "tokenkey_" + uid + ".pem");
        env["JALIEN_TOKEN_CERT"] = File.ReadAllText(certPath);
        env["JALIEN_TOKEN_KEY"] = File.ReadAllText(keyPath);
        File.SetUnixFileMode(certPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Delete(certPath);
        File.Delete(keyPath);
        env.Remove("X509_USER_CERT");
        await using var c = await AlienConnection.ConnectAsync(JAlienFixture.Options(env), Ct);
        Assert.True(c.UsesToken);
        Assert.Equal("jdoe", c.User);
        Assert.False(File.Exists(certPath));
    }

    [Fact]
    public async Task Unmapped_certificate_gets_401_as_a_typed_error_with_exit_code_129()
    {
        await using var peer = await fx.StartPeerAsync(TimeSpan.FromMinutes(1));
        peer.Options.Accounts.Clear();
        var env = fx.NewEnvironment(peer);
        var e = await Assert.ThrowsAsync<AlienConnectionException>(() => AlienConnection.ConnectAsync(JAlienFixture.Options(env), Ct));
        Assert.Contains("401", e.Message, StringComparison.Ordinal);
        Assert.Contains("Test User", e.Message, StringComparison.Ordinal);
        Assert.Equal(129, e.ExitCode);
    }

    [Fact]
    public async Task Server_certificate_from_another_CA_is_rejected_naming_the_problem()
    {
        using var other = new GridPki();
        var env = fx.NewEnvironment();
        env["X509_CERT_DIR"] = other.CertDir;
        var e = await Assert.ThrowsAsync<AlienConnectionException>(() => AlienConnection.ConnectAsync(JAlienFixture.Options(env), Ct));
        Assert.Contains("TLS", e.Message, StringComparison.Ordinal);
        Assert.Contains("CN=localhost", e.Message, StringComparison.Ordinal);
        Assert.Contains(other.CertDir, e.Message, StringComparison.Ordinal);

        // The explicit opt-out accepts it.
        var o = JAlienFixture.Options(env);
        await using var c = await AlienConnection.ConnectAsync(new AlienConnectionOptions { Environment = o.Environment, InsecureSkipServerVerification = true }, Ct);
        Assert.Equal("jdoe", c.User);
    }

    [Fact]
    public async Task Idle_close_1013_reconnects_transparently_and_restores_the_cwd()
    {
        await using var peer = await fx.StartPeerAsync(TimeSpan.FromMilliseconds(300));
        var env = fx.NewEnvironment(peer);
        await using var c = await AlienConnection.ConnectAsync(JAlienFixture.Options(env), Ct);
        await c.SendAsync(new AlienCommandLine("mkdir", ["-p", "work/deep"]), Ct);
        await c.SendAsync(new AlienCommandLine("cd", ["work/deep"]), Ct);
        Assert.Equal("/alice/cern.ch/user/j/jdoe/work/deep/", c.CurrentDirectory);
        await Task.Delay(1200);
        var reply = Text(await c.SendAsync(new AlienCommandLine("pwd", []), Ct));
        Assert.Contains("\"pwd\":\"/alice/cern.ch/user/j/jdoe/work/deep/\"", reply, StringComparison.Ordinal);
        Assert.Equal(1, c.Reconnects);
        Assert.Equal(2, peer.SessionsOpened);
        Assert.Contains("cd /alice/cern.ch/user/j/jdoe/work/deep/", peer.Log);
    }

    [Fact]
    public async Task Request_over_130_KiB_is_refused_before_sending()
    {
        var env = fx.NewEnvironment();
        await using var c = await AlienConnection.ConnectAsync(JAlienFixture.Options(env), Ct);
        int before = fx.Peer.Log.Count;
        var big = Enumerable.Range(0, 3000).Select(i => new string('x', 60) + i).ToArray();
        var e = await Assert.ThrowsAsync<AlienRequestTooLargeException>(() => c.SendAsync(new AlienCommandLine("rm", big), Ct));
        Assert.True(e.Size > 130 * 1024);
        Assert.Contains("133120", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, fx.Peer.Log.Count);
        // The connection is still usable.
        Assert.Contains("pong", Text(await c.SendAsync(new AlienCommandLine("ping", []), Ct)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pipelined_requests_get_their_replies_in_order()
    {
        var env = fx.NewEnvironment();
        await using var c = await AlienConnection.ConnectAsync(JAlienFixture.Options(env), Ct);
        var lines = Enumerable.Range(0, 150).Select(i => new AlienCommandLine("echo", ["n" + i])).ToList();
        var replies = await c.SendPipelinedAsync(lines, Ct);
        Assert.Equal(150, replies.Count);
        for (int i = 0; i < 150; i++)
        {
            Assert.Contains("\"message\":\"n" + i + "\"", Text(replies[i]), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Pool_runs_in_parallel_on_at_most_its_size_and_keeps_one_cwd()
    {
        var env = fx.NewEnvironment();
        await using var pool = await AlienConnectionPool.CreateAsync(JAlienFixture.Options(env), 4, Ct);
        await pool.SendAsync(new AlienCommandLine("mkdir", ["-p", "pooldir"]), Ct);
        await pool.SendAsync(new AlienCommandLine("cd", ["pooldir"]), Ct);
        var replies = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => pool.SendAsync(new AlienCommandLine("pwd", []), Ct)));
        Assert.All(replies, r => Assert.Contains("\"pwd\":\"/alice/cern.ch/user/j/jdoe/pooldir/\"", Text(r), StringComparison.Ordinal));
        Assert.InRange(pool.Opened, 1, 4);
    }

    [Fact]
    public async Task Localhost_races_both_families_and_a_forced_ipv6_stack_fails_after_its_tries()
    {
        var env = fx.NewEnvironment();
        env["ALIENPY_JCENTRAL"] = "localhost";
        await using (var c = await AlienConnection.ConnectAsync(JAlienFixture.Options(env), Ct))
        {
            Assert.Equal("jdoe", c.User);
        }
        env["ALIENPY_NETWORKSTACK"] = "ipv6";
        env["ALIENPY_CONNECT_TRIES_INTERVAL"] = "0.05";
        var e = await Assert.ThrowsAsync<AlienConnectionException>(() => AlienConnection.ConnectAsync(JAlienFixture.Options(env), Ct));
        Assert.Contains("after 2 attempts", e.Message, StringComparison.Ordinal);
        Assert.Equal(107, e.ExitCode);
    }

    [Fact]
    public async Task Closed_port_is_tried_four_times_after_the_ipv4_fallback()
    {
        var env = fx.NewEnvironment();
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        env["ALIENPY_JCENTRAL_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        env["ALIENPY_CONNECT_TRIES_INTERVAL"] = "0.01";
        var e = await Assert.ThrowsAsync<AlienConnectionException>(() => AlienConnection.ConnectAsync(JAlienFixture.Options(env), Ct));
        Assert.Contains("after 4 attempts", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_network_stack_value_is_named()
    {
        var env = fx.NewEnvironment();
        env["ALIENPY_NETWORKSTACK"] = "ipx";
        var e = Assert.Throws<ArgumentException>(() => JAlienFixture.Options(env));
        Assert.Contains("ipx", e.Message, StringComparison.Ordinal);
    }
}
