using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;

namespace Toolkit.DataDispatcher.Tests;

/// <summary>Runs the real <c>toolkit</c> binary against the peer (HOME and the working directory are temporary).</summary>
public sealed class CliTests(PeerFixture fx) : IClassFixture<PeerFixture>
{
    private static Task<Tool.Result> Toolkit(string home, string? stdin, params string[] args)
        => ToolkitCli.RunAsync(args, new() { ["HOME"] = home, ["DATA_DISPATCHER_URL"] = null, ["DATA_DISPATCHER_AUTH_URL"] = null, ["COLUMNS"] = "200" }, stdin, home);

    private string Server => fx.Peer.DataUrl.ToString();

    private Task<Tool.Result> Dd(string home, params string[] args) => Toolkit(home, null, ["dd", "--server", Server, .. args]);

    [Fact]
    public async Task Login_whoami_version_and_the_token_library_in_home()
    {
        var home = fx.NewDir();
        var login = await Toolkit(home, "alice-pw\n", "dd", "--server", Server, "login", "digest", "alice", "--password-stdin");
        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains("User:    alice", login.Stdout, StringComparison.Ordinal);
        var lib = File.ReadAllText(Path.Combine(home, ".token_library"));
        Assert.StartsWith(Server + " ", lib, StringComparison.Ordinal);

        var who = await Dd(home, "whoami", "--json");
        Assert.True(who.ExitCode == 0, who.ToString());
        using (var doc = JsonDocument.Parse(who.Stdout))
        {
            Assert.Equal("alice", doc.RootElement.GetProperty("user").GetString());
        }

        var version = await Dd(home, "version");
        Assert.Contains("Server version: 2.0.3", version.Stdout, StringComparison.Ordinal);

        var bad = await Toolkit(home, "nope\n", "dd", "--server", Server, "login", "password", "alice", "--password-stdin");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("error: Authentication failed (HTTP 401)", bad.Stderr, StringComparison.Ordinal);

        var ldap = await Toolkit(home, "alice-ldap\n", "dd", "--server", Server, "--json", "login", "ldap", "alice", "--password-stdin");
        Assert.True(ldap.ExitCode == 0, ldap.ToString());

        var tokenLogin = await Dd(home, "login", "token", "bob", "--token", fx.BobToken);
        Assert.True(tokenLogin.ExitCode == 0, tokenLogin.ToString());
        Assert.Contains("User:    bob", tokenLogin.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Project_and_worker_commands_drive_a_project_to_its_end()
    {
        var home = fx.NewDir();
        File.WriteAllText(Path.Combine(home, ".token_library"), Server + " " + fx.AliceToken + "\n");
        File.SetUnixFileMode(Path.Combine(home, ".token_library"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(Path.Combine(home, "files.txt"), "cli:a\n# comment\ncli:b\n\n");

        var create = await Dd(home, "project", "create", "--file-list", "files.txt", "cli:c", "--attr", "campaign=cli", "--attr", "run=7", "--file-attr", "tier=raw", "--worker-timeout", "90m", "--idle-timeout", "none");
        Assert.True(create.ExitCode == 0, create.ToString());
        var id = create.Stdout.Trim();
        Assert.Matches("^[0-9]+$", id);

        var show = await Dd(home, "--json", "project", "show", id);
        using (var doc = JsonDocument.Parse(show.Stdout))
        {
            var p = doc.RootElement;
            Assert.Equal(5400, p.GetProperty("worker_timeout").GetDouble());
            // null members are left out by the generated writer: no idle timeout.
            Assert.True(!p.TryGetProperty("idle_timeout", out var idle) || idle.ValueKind == JsonValueKind.Null);
            Assert.Equal("cli", p.GetProperty("attributes").GetProperty("campaign").GetString());
            Assert.Equal(7, p.GetProperty("attributes").GetProperty("run").GetInt32());
            Assert.Equal(["cli:a", "cli:b", "cli:c"], p.GetProperty("file_handles").EnumerateArray().Select(h => h.GetProperty("namespace").GetString() + ":" + h.GetProperty("name").GetString()));
            Assert.All(p.GetProperty("file_handles").EnumerateArray(), h => Assert.Equal("raw", h.GetProperty("attributes").GetProperty("tier").GetString()));
        }

        var list = await Dd(home, "project", "list");
        Assert.Contains(id, list.Stdout, StringComparison.Ordinal);
        Assert.Contains("alice", list.Stdout, StringComparison.Ordinal);
        var search = await Dd(home, "--json", "project", "search", "campaign = 'cli'");
        using (var doc = JsonDocument.Parse(search.Stdout))
        {
            Assert.Equal(long.Parse(id, System.Globalization.CultureInfo.InvariantCulture), Assert.Single(doc.RootElement.EnumerateArray()).GetProperty("project_id").GetInt64());
        }

        var wid = await Dd(home, "worker", "id", "--new", "cli-worker");
        Assert.Equal("cli-worker", wid.Stdout.Trim());
        Assert.Equal("cli-worker", File.ReadAllText(Path.Combine(home, ".data_dispatcher_worker_id")));

        var next = await Dd(home, "worker", "next", id, "--stagger", "0");
        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.StartsWith("cli:a", next.Stdout, StringComparison.Ordinal);
        Assert.Contains("LOCAL_RSE", next.Stdout, StringComparison.Ordinal);
        var reserved = await Dd(home, "worker", "reserved", id);
        Assert.Equal("cli:a", reserved.Stdout.Trim());
        var done = await Dd(home, "worker", "done", id, "cli:a");
        Assert.Equal("cli:a: done", done.Stdout.Trim());
        var again = await Dd(home, "worker", "done", id, "cli:a");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("Not authorized: wrong worker_id (HTTP 403)", again.Stderr, StringComparison.Ordinal);

        var nextJson = await Dd(home, "--json", "worker", "next", id, "--stagger", "0");
        using (var doc = JsonDocument.Parse(nextJson.Stdout))
        {
            Assert.Equal("cli-worker", doc.RootElement.GetProperty("worker_id").GetString());
        }

        Assert.Equal("cli:b: initial", (await Dd(home, "worker", "failed", id, "cli:b")).Stdout.Trim());
        await Dd(home, "worker", "next", id, "--stagger", "0");
        Assert.Equal("cli:c: failed", (await Dd(home, "worker", "failed", id, "cli:c", "--final")).Stdout.Trim());
        await Dd(home, "worker", "next", id, "--stagger", "0");
        Assert.Equal("cli:b: done", (await Dd(home, "worker", "done", id, "cli:b")).Stdout.Trim());

        var ended = await Dd(home, "worker", "next", id, "--stagger", "0");
        Assert.Equal(11, ended.ExitCode);
        Assert.Equal("done", ended.Stdout.Trim());

        var human = await Dd(home, "project", "show", id, "--files");
        Assert.True(human.ExitCode == 0, human.ToString());
        Assert.Contains("failed", human.Stdout, StringComparison.Ordinal);
        Assert.Contains("files: 3  initial: 0  reserved: 0  done: 2  failed: 1", human.Stdout, StringComparison.Ordinal);

        var watch = await Dd(home, "--json", "project", "show", id, "--watch", "--interval", "0.1");
        Assert.True(watch.ExitCode == 0, watch.ToString());
        using (var doc = JsonDocument.Parse(watch.Stdout.Trim().Split('\n')[^1]))
        {
            Assert.Equal("failed", doc.RootElement.GetProperty("state").GetString());
            Assert.Equal(3, doc.RootElement.GetProperty("total").GetInt32());
            Assert.Equal(2, doc.RootElement.GetProperty("done").GetInt32());
            Assert.Equal(1, doc.RootElement.GetProperty("failed").GetInt32());
        }

        var progress = await Dd(home, "project", "show", id, "--watch", "--interval", "0.1");
        Assert.True(progress.ExitCode == 0, progress.ToString());
        Assert.Contains("Project " + id + " failed", progress.Stdout, StringComparison.Ordinal);

        var restart = await Dd(home, "project", "restart", id, "--failed");
        Assert.Contains("Project " + id + ": active", restart.Stdout, StringComparison.Ordinal);
        var timeout = await Dd(home, "worker", "next", id, "--stagger", "0", "--timeout", "0");
        Assert.Equal(0, timeout.ExitCode);
        Assert.Equal(10, (await Dd(home, "worker", "next", id, "--stagger", "0", "--timeout", "0")).ExitCode);

        var copy = await Dd(home, "project", "copy", id, "--attr", "copy=true", "--idle-timeout", "2h");
        Assert.Matches("^[0-9]+$", copy.Stdout.Trim());
        Assert.Contains(": cancelled", (await Dd(home, "project", "cancel", id)).Stdout, StringComparison.Ordinal);
        Assert.Equal(11, (await Dd(home, "worker", "next", id, "--stagger", "0")).ExitCode);
        Assert.Contains(": active", (await Dd(home, "project", "activate", id)).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rse_commands_and_errors()
    {
        var home = fx.NewDir();
        File.WriteAllText(Path.Combine(home, ".token_library"), Server + " " + fx.AdminToken + "\n");
        File.SetUnixFileMode(Path.Combine(home, ".token_library"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var list = await Dd(home, "rse", "list");
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains("LOCAL_RSE", list.Stdout, StringComparison.Ordinal);
        var off = await Dd(home, "--json", "rse", "set-available", "LOCAL_RSE", "no");
        using (var doc = JsonDocument.Parse(off.Stdout))
        {
            Assert.False(doc.RootElement.GetProperty("is_available").GetBoolean());
        }

        var show = await Dd(home, "rse", "show", "LOCAL_RSE");
        Assert.Matches("Available\\s+no", show.Stdout);
        Assert.Equal(0, (await Dd(home, "rse", "set-available", "LOCAL_RSE", "yes")).ExitCode);
        var missing = await Dd(home, "rse", "show", "NOPE");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("RSE NOPE not found", missing.Stderr, StringComparison.Ordinal);

        var bobHome = fx.NewDir();
        File.WriteAllText(Path.Combine(bobHome, ".token_library"), Server + " " + fx.BobToken + "\n");
        File.SetUnixFileMode(Path.Combine(bobHome, ".token_library"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var forbidden = await Dd(bobHome, "rse", "set-available", "LOCAL_RSE", "no");
        Assert.Equal(1, forbidden.ExitCode);
        Assert.Contains("Not authorized (HTTP 403)", forbidden.Stderr, StringComparison.Ordinal);

        var noProject = await Dd(home, "project", "show", "987654");
        Assert.Equal(1, noProject.ExitCode);
        Assert.Contains("project 987654 not found", noProject.Stderr, StringComparison.Ordinal);
        var badId = await Dd(home, "project", "show", "abc");
        Assert.Equal(2, badId.ExitCode);
        var noServer = await Toolkit(home, null, "dd", "version");
        Assert.Equal(2, noServer.ExitCode);
        Assert.Contains("DATA_DISPATCHER_URL", noServer.Stderr, StringComparison.Ordinal);
        var noFiles = await Dd(home, "project", "create");
        Assert.Equal(2, noFiles.ExitCode);
    }
}
