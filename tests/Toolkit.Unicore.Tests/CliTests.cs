using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;

namespace Toolkit.Unicore.Tests;

/// <summary>Runs the real <c>toolkit unicore</c> binary against the peer.</summary>
public sealed class CliTests(PeerFixture fx) : IClassFixture<PeerFixture>
{
    private Task<Tool.Result> Toolkit(string dir, params string[] args) => ToolkitCli.RunAsync(
        ["unicore", "-s", fx.Peer.SiteUrl.ToString(), .. args],
        new Dictionary<string, string?> { ["HOME"] = dir, ["UNICORE_URL"] = null, ["UNICORE_USER"] = null, ["UNICORE_TOKEN"] = null, ["UNICORE_REGISTRY"] = null },
        null, dir);

    [Fact]
    public async Task Run_wait_get_output_and_job_status_as_json()
    {
        var dir = fx.NewDir();
        await File.WriteAllTextAsync(Path.Combine(dir, "job.json"), """{"Executable": "/bin/echo", "Arguments": ["hello", "cli"], "Tags": ["cli"]}""");
        var run = await Toolkit(dir, "-u", "demouser:test123", "run", "job.json", "--wait", "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.Stdout);
        Assert.Equal("SUCCESSFUL", doc.RootElement.GetProperty("status").GetString());
        Assert.Equal(0, doc.RootElement.GetProperty("exitCode").GetInt32());
        var url = doc.RootElement.GetProperty("url").GetString()!;

        var output = await Toolkit(dir, "-u", "demouser:test123", "get-output", url, "-o", "out");
        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.Equal("hello cli\n", await File.ReadAllTextAsync(Path.Combine(dir, "out", "stdout")));

        var list = await Toolkit(dir, "-u", "demouser:test123", "list-jobs", "--tags", "cli", "--json");
        Assert.True(list.ExitCode == 0, list.ToString());
        using var listed = JsonDocument.Parse(list.Stdout);
        Assert.Contains(listed.RootElement.EnumerateArray(), j => j.GetProperty("url").GetString() == url);

        var status = await Toolkit(dir, "-u", "demouser:test123", "job-status", url);
        Assert.Contains("status   : SUCCESSFUL", status.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ls_and_cp_up_down_and_within_a_storage()
    {
        var dir = fx.NewDir();
        await File.WriteAllTextAsync(Path.Combine(dir, "local.txt"), "payload");
        var up = await Toolkit(dir, "-u", "demouser:test123", "cp", "local.txt", "HOME:/cli/");
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Contains("(7 bytes)", up.Stdout, StringComparison.Ordinal);
        var copy = await Toolkit(dir, "-u", "demouser:test123", "cp", "HOME:/cli/local.txt", "HOME:/cli/copy.txt");
        Assert.True(copy.ExitCode == 0, copy.ToString());
        var ls = await Toolkit(dir, "-u", "demouser:test123", "ls", "HOME:/cli", "--json");
        Assert.True(ls.ExitCode == 0, ls.ToString());
        using var doc = JsonDocument.Parse(ls.Stdout);
        Assert.Equal(["cli/copy.txt", "cli/local.txt"], doc.RootElement.EnumerateArray().Select(e => e.GetProperty("path").GetString()));
        var down = await Toolkit(dir, "-u", "demouser:test123", "cp", "HOME:/cli/copy.txt", "back.txt");
        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.Equal("payload", await File.ReadAllTextAsync(Path.Combine(dir, "back.txt")));
        var missing = await Toolkit(dir, "-u", "demouser:test123", "cp", "HOME:/cli/none.txt", "none.txt");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("not found", missing.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dir, "none.txt")));
    }

    [Fact]
    public async Task Registry_workflows_and_errors()
    {
        var dir = fx.NewDir();
        var sites = await Toolkit(dir, "-u", "demouser:test123", "-r", fx.Peer.RegistryUrl.ToString(), "list-sites", "--json");
        Assert.True(sites.ExitCode == 0, sites.ToString());
        using (var doc = JsonDocument.Parse(sites.Stdout))
        {
            Assert.Equal(fx.Peer.SiteUrl.ToString(), doc.RootElement.GetProperty("sites").GetProperty("DEMO-SITE").GetString());
        }

        await File.WriteAllTextAsync(Path.Combine(dir, "wf.json"), """{"activities": [{"id": "j", "type": "JOB", "job": {"Executable": "/bin/true"}}]}""");
        var wf = await Toolkit(dir, "-u", "demouser:test123", "-r", fx.Peer.RegistryUrl.ToString(), "workflow", "submit", "wf.json", "--wait", "--json");
        Assert.True(wf.ExitCode == 0, wf.ToString());
        using (var doc = JsonDocument.Parse(wf.Stdout))
        {
            Assert.Equal("SUCCESSFUL", doc.RootElement.GetProperty("status").GetString());
            var status = await Toolkit(dir, "-u", "demouser:test123", "workflow", "status", doc.RootElement.GetProperty("url").GetString()!);
            Assert.Contains("status : SUCCESSFUL", status.Stdout, StringComparison.Ordinal);
        }

        var anonymous = await Toolkit(dir, "connect");
        Assert.Equal(1, anonymous.ExitCode);
        Assert.Contains("anonymous", anonymous.Stderr, StringComparison.Ordinal);

        var wrong = await Toolkit(dir, "-u", "demouser:nope", "connect");
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("invalid username or password", wrong.Stderr, StringComparison.Ordinal);
        Assert.Contains("(HTTP 401)", wrong.Stderr, StringComparison.Ordinal);

        await File.WriteAllTextAsync(Path.Combine(dir, "bad.json"), """{"Executable": ["not", "a", "string"]}""");
        var bad = await Toolkit(dir, "-u", "demouser:test123", "run", "bad.json");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("bad.json", bad.Stderr, StringComparison.Ordinal);

        var connect = await Toolkit(dir, "-u", "demouser:test123", "connect", "--json");
        Assert.True(connect.ExitCode == 0, connect.ToString());
        using (var doc = JsonDocument.Parse(connect.Stdout))
        {
            Assert.Equal("user", doc.RootElement.GetProperty("client").GetProperty("role").GetProperty("selected").GetString());
        }
    }

    [Fact]
    public async Task Credentials_from_the_environment_a_token_and_a_signing_key()
    {
        var dir = fx.NewDir();
        var fromEnv = await ToolkitCli.RunAsync(["unicore", "connect", "--json"],
            new Dictionary<string, string?> { ["HOME"] = dir, ["UNICORE_URL"] = fx.Peer.SiteUrl.ToString(), ["UNICORE_USER"] = "other:pw", ["UNICORE_TOKEN"] = null }, null, dir);
        Assert.True(fromEnv.ExitCode == 0, fromEnv.ToString());
        Assert.Contains("UID=other", fromEnv.Stdout, StringComparison.Ordinal);

        var token = await Toolkit(dir, "-A", PeerFixture.BearerToken, "connect");
        Assert.True(token.ExitCode == 0, token.ToString());
        Assert.Contains("dn        : UID=demouser", token.Stdout, StringComparison.Ordinal);

        var key = Path.Combine(dir, "key.pem");
        await File.WriteAllTextAsync(key, PeerFixture.RsaKey.ExportRSAPrivateKeyPem());
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var jwt = await Toolkit(dir, "-u", "demouser", "-i", key, "connect");
        Assert.True(jwt.ExitCode == 0, jwt.ToString());
        Assert.Contains("dn        : UID=demouser", jwt.Stdout, StringComparison.Ordinal);

        await File.WriteAllTextAsync(Path.Combine(dir, "sleep.json"), """{"Executable": "sleep 30"}""");
        var run = await Toolkit(dir, "-u", "demouser:test123", "run", "sleep.json");
        Assert.True(run.ExitCode == 0, run.ToString());
        var url = run.Stdout.Trim();
        var abort = await Toolkit(dir, "-u", "demouser:test123", "abort-job", url, "--json");
        Assert.True(abort.ExitCode == 0, abort.ToString());
        using var doc = JsonDocument.Parse(abort.Stdout);
        Assert.Equal(url, doc.RootElement.GetProperty("url").GetString());
        Assert.Contains(doc.RootElement.GetProperty("status").GetString(), new[] { "RUNNING", "FAILED" });
    }
}
