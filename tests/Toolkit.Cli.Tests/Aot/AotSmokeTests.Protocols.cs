using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Toolkit.Peers.DataDispatcher;
using Toolkit.Peers.Fts3;
using Toolkit.Runtime.Capture;
using Toolkit.Runtime.Security;

namespace Toolkit.Cli.Tests.Aot;

/// <summary>The smoke run of each command group (see <see cref="AotSmokeTests"/>). File modes and signals: POSIX only.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class AotSmokeTests
{
    private static string TestData(string name) => Path.Combine(AppContext.BaseDirectory, "testdata", "xrdmon", "run1", name);

    /// <summary><c>proxy init|info|destroy</c> on a throwaway openssl user certificate.</summary>
    private static async Task ProxyAsync(ToolkitBinary bin)
    {
        using var pki = new GridPki();
        var env = new Dictionary<string, string?> { ["HOME"] = pki.Dir, ["X509_CERT_DIR"] = pki.CertDir, ["X509_USER_PROXY"] = null };
        var proxy = pki.P("x509up_smoke");
        Ok(await bin.RunAsync(["proxy", "init", "--cert", pki.UserCert, "--key", pki.UserKey, "--out", proxy, "--valid", "01:00", "-q"], env), bin);
        Assert.True(File.Exists(proxy), "proxy init wrote the proxy");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(proxy));

        var info = await bin.RunAsync(["proxy", "info", "--file", proxy, "--json"], env);
        Ok(info, bin);
        using (var doc = JsonDocument.Parse(info.StdoutBytes))
        {
            Assert.Equal("/DC=org/DC=toolkit/CN=Test User", doc.RootElement.GetProperty("identity").GetString());
            Assert.Contains("RFC 3820", doc.RootElement.GetProperty("type").GetString(), StringComparison.Ordinal);
        }

        Ok(await bin.RunAsync(["proxy", "info", "--file", proxy, "--exists"], env), bin);
        Ok(await bin.RunAsync(["proxy", "destroy", "--file", proxy], env), bin);
        Assert.False(File.Exists(proxy), "proxy destroy removed the proxy");
        Assert.Equal(1, (await bin.RunAsync(["proxy", "info", "--file", proxy, "--exists"], env)).ExitCode);
    }

    /// <summary><c>token info</c> on an HS256 JWT written here, from a file and discovered from BEARER_TOKEN.</summary>
    private static async Task TokenAsync(ToolkitBinary bin)
    {
        static string B64(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        long exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        string head = B64(Encoding.UTF8.GetBytes("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"));
        string body = B64(Encoding.UTF8.GetBytes($"{{\"iss\":\"https://issuer.example.org\",\"sub\":\"smoke-user\",\"aud\":\"https://wlcg.cern.ch/jwt/v1/any\",\"scope\":\"storage.read:/ storage.create:/smoke\",\"exp\":{exp}}}"));
        string jwt = head + "." + body + "." + B64(HMACSHA256.HashData(RandomNumberGenerator.GetBytes(32), Encoding.ASCII.GetBytes(head + "." + body)));
        var dir = Directory.CreateTempSubdirectory("toolkit-smoke-token-").FullName;
        try
        {
            var file = Path.Combine(dir, "bt");
            File.WriteAllText(file, jwt + "\n");
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var env = new Dictionary<string, string?> { ["HOME"] = dir, ["BEARER_TOKEN"] = null, ["BEARER_TOKEN_FILE"] = null, ["XDG_RUNTIME_DIR"] = dir };
            var r = await bin.RunAsync(["token", "info", "--file", file, "--json"], env);
            Ok(r, bin);
            Assert.DoesNotContain(jwt, r.Stdout, StringComparison.Ordinal); // the token itself is never printed
            Assert.Contains("smoke-user", r.Stdout, StringComparison.Ordinal);
            Assert.Contains("storage.create:/smoke", r.Stdout, StringComparison.Ordinal);

            var discovered = await bin.RunAsync(["token", "info"], new Dictionary<string, string?>(env) { ["BEARER_TOKEN"] = jwt });
            Ok(discovered, bin);
            Assert.Contains("subject  : smoke-user", discovered.Stdout, StringComparison.Ordinal);
            Assert.Contains("alg      : HS256", discovered.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary><c>xrdmon decode</c> prints byte for byte what the JIT build prints (embedded capture, a file with
    /// --events, the table); <c>xrdmon listen</c> resolves the capture sent over UDP and stops cleanly on SIGTERM.</summary>
    private static async Task XrdmonAsync(ToolkitBinary bin)
    {
        foreach (var args in new[] { new[] { "xrdmon", "decode" }, ["xrdmon", "decode", "--events", TestData("origin.xrdmon"), TestData("proxy.xrdmon")], ["xrdmon", "decode", "--events", "--format", "table", TestData("origin.xrdmon")] })
        {
            var got = await bin.RunAsync(args, new Dictionary<string, string?> { ["COLUMNS"] = "160" });
            var jit = await ToolkitBinary.Jit.RunAsync(args, new Dictionary<string, string?> { ["COLUMNS"] = "160" });
            Ok(got, bin);
            Ok(jit, ToolkitBinary.Jit);
            Assert.True(jit.StdoutBytes.Length > 1000, string.Join(' ', args) + " printed records");
            Assert.True(jit.StdoutBytes.AsSpan().SequenceEqual(got.StdoutBytes), $"{string.Join(' ', args)}: {bin} printed {got.StdoutBytes.Length} bytes that differ from the JIT build's {jit.StdoutBytes.Length}");
            Assert.Equal(jit.Stderr, got.Stderr);
        }

        await ListenAsync(bin);
    }

    private static async Task ListenAsync(ToolkitBinary bin)
    {
        var dir = Directory.CreateTempSubdirectory("toolkit-smoke-listen-").FullName;
        var output = Path.Combine(dir, "events.jsonl");
        using var p = Process.Start(bin.StartInfo(["xrdmon", "listen", "--udp", "127.0.0.1:0", "--events", "--out", output], workDir: dir))!;
        try
        {
            var stderr = new StringBuilder();
            string first = await p.StandardError.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) ?? "";
            stderr.AppendLine(first);
            var readRest = p.StandardError.ReadToEndAsync();
            int at = first.IndexOf(" (receive buffer", StringComparison.Ordinal);
            Assert.True(at > 0, "listen says where it listens: " + first);
            int port = int.Parse(first[(first.LastIndexOf(':', at) + 1)..at], System.Globalization.CultureInfo.InvariantCulture);

            using var udp = new UdpClient(AddressFamily.InterNetwork);
            var to = new IPEndPoint(IPAddress.Loopback, port);
            int sent = 0;
            foreach (var datagram in Datagrams(TestData("origin.xrdmon")))
            {
                udp.Send(datagram, to);
                if (++sent % 10 == 0)
                {
                    await Task.Delay(5); // a gentle pace: nothing is lost on loopback
                }
            }

            await Task.Delay(500);
            Tool.MustRun("kill", "-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(p.WaitForExit(30_000), "listen stops on SIGTERM");
            stderr.Append(await readRest);
            Assert.True(p.ExitCode == 0, $"{bin}: listen exit {p.ExitCode}\n{stderr}");
            var lines = File.ReadAllLines(output);
            Assert.True(lines.Length > 100, $"{lines.Length} events from {sent} datagrams\n{stderr}");
            Assert.All(lines, l => JsonDocument.Parse(l).Dispose());
            Assert.Contains("\"datagrams\":" + sent.ToString(System.Globalization.CultureInfo.InvariantCulture), stderr.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
            }

            Directory.Delete(dir, recursive: true);
        }
    }

    private static List<byte[]> Datagrams(string capture)
    {
        var list = new List<byte[]>();
        var reader = new CaptureSpanReader(File.ReadAllBytes(capture));
        while (reader.TryRead(out ReadOnlySpan<byte> datagram))
        {
            list.Add(datagram.ToArray());
        }

        return list;
    }

    /// <summary>Every user verb of <c>fts</c> against the FTS3 peer (TLS, RFC 3820 client proxy).</summary>
    private static async Task FtsAsync(ToolkitBinary bin)
    {
        using var pki = new GridPki();
        var proxy = pki.P("x509up_smoke");
        using (var user = pki.LoadUser())
        using (var made = ProxyFactory.CreateProxy(user, new ProxyOptions { Lifetime = TimeSpan.FromHours(12) }))
        {
            made.WritePem(proxy);
        }

        await using var peer = await FtsPeer.StartAsync(pki, new FtsPeerOptions { RequireClientCertificate = true });
        var env = new Dictionary<string, string?> { ["HOME"] = pki.Dir, ["X509_USER_PROXY"] = null, ["FTS3_ENDPOINT"] = null };
        Task<BinaryResult> Fts(params string[] args) => bin.RunAsync(["fts", "-s", peer.BaseAddress.ToString(), "--capath", pki.CertDir, "--proxy", proxy, .. args], env);

        var info = await Fts("info");
        Ok(info, bin);
        Assert.Contains("api        : 3.13.4", info.Stdout, StringComparison.Ordinal);
        var who = await Fts("whoami", "--json");
        Ok(who, bin);
        using (var doc = JsonDocument.Parse(who.StdoutBytes))
        {
            Assert.Equal("/DC=org/DC=toolkit/CN=Test User", doc.RootElement.GetProperty("user_dn").GetString());
        }

        var delegated = await Fts("delegate", "--lifetime", "3");
        Ok(delegated, bin);
        Assert.Contains("Delegation id: ", delegated.Stdout, StringComparison.Ordinal);
        Assert.Single(peer.Credentials);

        var submit = await Fts("submit", "https://a.example.org/1", "https://b.example.org/1", "--overwrite", "--metadata", "{\"smoke\": true}");
        Ok(submit, bin);
        var id = submit.Stdout.Trim();
        Assert.NotNull(peer.GetJob(id));
        var status = await Fts("status", id, "--files");
        Ok(status, bin);
        Assert.Contains(id + "  SUBMITTED", status.Stdout, StringComparison.Ordinal);
        Assert.Contains("https://a.example.org/1 -> https://b.example.org/1", status.Stdout, StringComparison.Ordinal);
        var list = await Fts("list", "--json");
        Ok(list, bin);
        Assert.Contains(id, list.Stdout, StringComparison.Ordinal);
        var cancel = await Fts("cancel", id);
        Ok(cancel, bin);
        Assert.Contains(id + ": CANCELED", cancel.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, (await Fts("status", id, "--watch")).ExitCode); // a canceled job is a failed watch
    }

    /// <summary>Login, identity, projects and the worker verbs of <c>dd</c> against the Data Dispatcher peer.</summary>
    private static async Task DataDispatcherAsync(ToolkitBinary bin)
    {
        await using var peer = new DataDispatcherPeer();
        peer.AddUser("alice", "alice-pw", ldapPassword: "alice-ldap");
        await peer.StartAsync();
        var home = Directory.CreateTempSubdirectory("toolkit-smoke-dd-").FullName;
        try
        {
            var env = new Dictionary<string, string?> { ["HOME"] = home, ["DATA_DISPATCHER_URL"] = null, ["DATA_DISPATCHER_AUTH_URL"] = null, ["COLUMNS"] = "200" };
            Task<BinaryResult> Dd(string? stdin, params string[] args) => bin.RunAsync(["dd", "--server", peer.DataUrl.ToString(), .. args], env, stdin, home);

            var login = await Dd("alice-pw\n", "login", "digest", "alice", "--password-stdin");
            Ok(login, bin);
            Assert.Contains("User:    alice", login.Stdout, StringComparison.Ordinal);
            var ldap = await Dd("alice-ldap\n", "login", "ldap", "alice", "--password-stdin");
            Ok(ldap, bin);
            var who = await Dd(null, "whoami", "--json");
            Ok(who, bin);
            using (var doc = JsonDocument.Parse(who.StdoutBytes))
            {
                Assert.Equal("alice", doc.RootElement.GetProperty("user").GetString());
            }

            Assert.Contains("Server version: 2.0.3", (await Dd(null, "version")).Stdout, StringComparison.Ordinal);
            var create = await Dd(null, "project", "create", "smoke:a", "smoke:b", "--attr", "campaign=smoke", "--worker-timeout", "1h");
            Ok(create, bin);
            var id = create.Stdout.Trim();
            Assert.Matches("^[0-9]+$", id);
            var show = await Dd(null, "--json", "project", "show", id);
            Ok(show, bin);
            using (var doc = JsonDocument.Parse(show.StdoutBytes))
            {
                Assert.Equal(["smoke:a", "smoke:b"], doc.RootElement.GetProperty("file_handles").EnumerateArray().Select(h => h.GetProperty("namespace").GetString() + ":" + h.GetProperty("name").GetString()));
            }

            Assert.Contains(id, (await Dd(null, "project", "list")).Stdout, StringComparison.Ordinal);
            foreach (var _ in new[] { 1, 2 })
            {
                var next = await Dd(null, "worker", "next", id);
                Ok(next, bin);
                var did = next.Stdout.Split('\n')[0].Trim();
                Assert.StartsWith("smoke:", did, StringComparison.Ordinal);
                Ok(await Dd(null, "worker", "done", id, did), bin);
            }

            var ended = await Dd(null, "worker", "next", id);
            Assert.True(ended.ExitCode == 11, $"worker next on a finished project exits 11 (project ended): {ended}");
            Ok(await Dd(null, "rse", "list"), bin);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
