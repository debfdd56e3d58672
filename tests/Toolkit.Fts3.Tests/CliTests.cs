using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Toolkit.Peers.Fts3;
using Toolkit.Fts3;

namespace Toolkit.Fts3.Tests;

/// <summary>Runs the real <c>toolkit fts ...</c> binary against the peer.</summary>
[Collection("fts3-cli")]
public sealed class CliTests(Fts3Pki pki)
{
    private Task<Tool.Result> Fts(FtsPeer peer, bool admin, params string[] args) => Task.Run(() =>
    {
        var all = new List<string> { "fts", "-s", peer.BaseAddress.ToString(), "--capath", pki.Pki.CertDir };
        all.AddRange(admin ? new[] { "--cert", pki.AdminCert, "--key", pki.AdminKey } : new[] { "--proxy", pki.ProxyPath });
        all.AddRange(args);
        return ToolkitCli.Run(all, new() { ["HOME"] = pki.Pki.Dir, ["X509_USER_PROXY"] = "" });
    });

    private static void Ok(Tool.Result r) => Assert.True(r.ExitCode == 0, r.ToString());

    [Fact]
    public async Task Info_whoami_delegate_submit_status_watch_list_cancel()
    {
        await using var peer = await FtsPeer.StartAsync(pki.Pki, pki.PeerOptions());
        var info = await Fts(peer, false, "info");
        Ok(info);
        Assert.Contains("api        : 3.13.4", info.Stdout);
        var whoJson = await Fts(peer, false, "whoami", "--json");
        Ok(whoJson);
        using (var doc = JsonDocument.Parse(whoJson.Stdout))
        {
            Assert.Equal(Fts3Pki.UserDn, doc.RootElement.GetProperty("user_dn").GetString());
        }

        var delegated = await Fts(peer, false, "delegate", "--lifetime", "3");
        Ok(delegated);
        Assert.Contains("Delegation id: " + FtsPeer.DelegationIdOf(Fts3Pki.UserDn, Array.Empty<string>()), delegated.Stdout);
        Assert.Single(peer.Credentials);

        var submit = await Fts(peer, false, "submit", "https://a.example.org/1", "https://b.example.org/1", "https://a.example.org/2", "https://b.example.org/2", "--overwrite", "--priority", "4", "--metadata", "{\"tag\": 7}");
        Ok(submit);
        var id = submit.Stdout.Trim();
        var job = peer.GetJob(id)!;
        Assert.Equal(("Y", 4, 7), (job["overwrite_flag"]!.GetValue<string>(), job["priority"]!.GetValue<int>(), job["job_metadata"]!["tag"]!.GetValue<int>()));
        Assert.Equal(2, peer.GetFiles(id).Count);

        var status = await Fts(peer, false, "status", id, "--files");
        Ok(status);
        Assert.Contains(id + "  SUBMITTED", status.Stdout);
        Assert.Contains("https://a.example.org/2 -> https://b.example.org/2", status.Stdout);

        peer.AdvanceOnPoll = true;
        var watch = await Fts(peer, false, "status", id, "--watch", "--interval", "0.05");
        peer.AdvanceOnPoll = false;
        Ok(watch);
        var lines = watch.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.Contains("ACTIVE", StringComparison.Ordinal));
        Assert.EndsWith("FINISHED [####################] 2/2 finished", lines[^1].TrimEnd());

        var list = await Fts(peer, false, "list", "--state", "FINISHED,CANCELED");
        Ok(list);
        Assert.Contains(id, list.Stdout);
        Assert.DoesNotContain(id, (await Fts(peer, false, "list")).Stdout);

        var already = await Fts(peer, false, "cancel", id);
        Ok(already);
        Assert.Contains("already terminal (FINISHED)", already.Stdout);
        var second = (await Fts(peer, false, "submit", "https://a.example.org/3", "https://b.example.org/3")).Stdout.Trim();
        var cancel = await Fts(peer, false, "cancel", second);
        Ok(cancel);
        Assert.Contains(second + ": CANCELED", cancel.Stdout);

        // A failing watch (job canceled) exits non-zero.
        var failedWatch = await Fts(peer, false, "status", second, "--watch");
        Assert.Equal(1, failedWatch.ExitCode);
    }

    [Fact]
    public async Task Watch_on_a_terminal_shows_the_live_view_until_terminal()
    {
        await using var peer = await FtsPeer.StartAsync(pki.Pki, pki.PeerOptions());
        var id = (await Fts(peer, false, "submit", "https://a.example.org/1", "https://b.example.org/1", "https://a.example.org/2", "https://b.example.org/2")).Stdout.Trim();
        peer.AdvanceOnPoll = true;

        // util-linux script(1) gives the real binary a pseudo-terminal, so stdout is not redirected.
        var args = new[] { "dotnet", ToolkitCli.Dll, "fts", "-s", peer.BaseAddress.ToString(), "--capath", pki.Pki.CertDir, "--proxy", pki.ProxyPath, "status", id, "--watch", "--interval", "0.05" };
        var command = "stty cols 200 rows 40; exec " + string.Join(' ', args.Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        var watch = await Task.Run(() => Tool.Run("script", new[] { "-qec", command, "/dev/null" }, new Dictionary<string, string> { ["HOME"] = pki.Pki.Dir, ["X509_USER_PROXY"] = "", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["TERM"] = "xterm-256color" }));
        Ok(watch);
        Assert.Contains("\u001b[", watch.Stdout, StringComparison.Ordinal); // drawn with terminal control sequences
        var screen = Regex.Replace(watch.Stdout, @"\u001b(\[[0-9;?]*[A-Za-z]|[=>])", string.Empty);
        Assert.Contains("Job " + id + "  FINISHED", screen, StringComparison.Ordinal);
        Assert.Contains("finished 2 · failed 0 · canceled 0 · active 0 · other 0 · total 2", screen, StringComparison.Ordinal);
        Assert.Contains("https://b.example.org/2", screen, StringComparison.Ordinal);
        Assert.DoesNotContain("[####################]", screen, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_bulk_files_deterministic_ids_and_server_errors_keep_their_message()
    {
        await using var peer = await FtsPeer.StartAsync(pki.Pki, pki.PeerOptions());
        var bulk = pki.Pki.NewFile("bulk") + ".json";
        File.WriteAllText(bulk, """{"files": [{"sources": ["https://a.example.org/x"], "destinations": ["https://b.example.org/x"], "filesize": 10, "activity": "bulk"}, {"sources": ["https://a.example.org/y"], "destinations": ["https://b.example.org/y"]}]}""");
        var submit = await Fts(peer, false, "submit", "-f", bulk, "--json");
        Ok(submit);
        using (var doc = JsonDocument.Parse(submit.Stdout))
        {
            var id = doc.RootElement.GetProperty("job_id").GetString()!;
            Assert.Equal(new[] { "bulk", "default" }, peer.GetFiles(id).Select(f => f["activity"]!.GetValue<string>()));
        }

        var sid = Guid.NewGuid().ToString();
        var det = await Fts(peer, false, "submit", "https://a.example.org/d", "https://b.example.org/d", "--sid", sid);
        Ok(det);
        var vo = FtsPeer.DelegationIdOf(Fts3Pki.UserDn, Array.Empty<string>());
        Assert.Equal(Fts3Jobs.DeterministicJobId(vo, sid).ToString(), det.Stdout.Trim());
        var again = await Fts(peer, false, "submit", "https://a.example.org/d", "https://b.example.org/d", "--sid", sid);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already exists (HTTP 409)", again.Stderr);

        var badUrl = await Fts(peer, false, "submit", "a.example.org/f", "https://b.example.org/f");
        Assert.Equal(1, badUrl.ExitCode);
        Assert.Contains("Missing scheme (a.example.org/f)", badUrl.Stderr);
        var odd = await Fts(peer, false, "submit", "https://a.example.org/f");
        Assert.Equal(2, odd.ExitCode);
        Assert.Contains("pairs", odd.Stderr);
        var mode = await Fts(peer, false, "submit", "https://a.example.org/f", "https://b.example.org/f", "--verify-checksum", "always");
        Assert.Equal(1, mode.ExitCode);
        Assert.Contains("verify_checksum", mode.Stderr);
        var missing = await Fts(peer, false, "status", Guid.Empty.ToString());
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("No job with the id 00000000-0000-0000-0000-000000000000 has been found (HTTP 404)", missing.Stderr);
    }

    [Fact]
    public async Task Ban_and_unban_as_admin_and_refused_to_users()
    {
        await using var peer = await FtsPeer.StartAsync(pki.Pki, pki.PeerOptions());
        var id = (await Fts(peer, false, "submit", "https://a.example.org/1", "https://b.example.org/1")).Stdout.Trim();
        var denied = await Fts(peer, false, "ban", "--se", "https://a.example.org");
        Assert.Equal(1, denied.ExitCode);
        Assert.Contains("Not enough permissions (HTTP 403)", denied.Stderr);
        var ban = await Fts(peer, true, "ban", "--se", "https://a.example.org", "--message", "downtime");
        Ok(ban);
        Assert.Equal(id, ban.Stdout.Trim());
        Assert.Equal("CANCELED", peer.GetJob(id)!["job_state"]!.GetValue<string>());
        var combined = await Fts(peer, true, "ban", "--se", "https://c.example.org", "--allow-submit");
        Assert.Equal(1, combined.ExitCode);
        Assert.Contains("can not be combined", combined.Stderr);
        Ok(await Fts(peer, true, "unban", "--se", "https://a.example.org"));
        Ok(await Fts(peer, true, "ban", "--dn", Fts3Pki.UserDn));
        var banned = await Fts(peer, false, "whoami");
        Assert.Equal(1, banned.ExitCode);
        Assert.Contains("The user has been banned", banned.Stderr);
        Ok(await Fts(peer, true, "unban", "--dn", Fts3Pki.UserDn));
        Ok(await Fts(peer, false, "whoami"));
        Assert.Equal(2, (await Fts(peer, true, "ban", "--se", "https://a.example.org", "--dn", "/CN=x")).ExitCode);
        Assert.All(peer.Requests.Where(r => r.Path.StartsWith("/ban/", StringComparison.Ordinal) && r.Method == "POST"), r => Assert.Equal("application/json", r.ContentType));
    }

    [Fact]
    public async Task Unreachable_or_missing_endpoint_fails_with_a_message()
    {
        var none = await ToolkitCli.RunAsync(["fts", "info"], new() { ["FTS3_ENDPOINT"] = "" });
        Assert.Equal(2, none.ExitCode);
        Assert.Contains("no endpoint", none.Stderr);
        var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var unreachable = await ToolkitCli.RunAsync(["fts", "-s", $"https://localhost:{port}", "--proxy", pki.ProxyPath, "--capath", pki.Pki.CertDir, "info"]);
        Assert.Equal(1, unreachable.ExitCode);
        Assert.Contains("cannot reach the FTS3 server", unreachable.Stderr);
    }
}
