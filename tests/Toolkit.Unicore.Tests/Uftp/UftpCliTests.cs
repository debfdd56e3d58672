using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;

namespace Toolkit.Unicore.Tests.Uftp;

/// <summary>Runs the real <c>toolkit uftp</c> binary against the peer (output piped: final lines, no progress bars).</summary>
public sealed class UftpCliTests(UftpFixture fx) : IClassFixture<UftpFixture>
{
    private string Auth => fx.Host.AuthUrl.ToString();

    private Task<Tool.Result> Uftp(params string[] args)
        => ToolkitCli.RunAsync(["uftp", "-u", UftpFixture.User + ":" + UftpFixture.Password, .. args], new Dictionary<string, string?> { ["COLUMNS"] = "200" }, null, fx.Local);

    [Fact]
    public async Task Cp_up_and_down_with_streams_encryption_and_compression()
    {
        var data = UftpFixture.RandomBytes(700_000, 21);
        string src = fx.LocalPath("cli-src.bin");
        await File.WriteAllBytesAsync(src, data);
        var up = await Uftp("cp", "-n", "2", "-E", "-C", src, Auth + ":/cli/");
        Assert.Equal(1, up.ExitCode); // the remote directory does not exist yet
        Assert.Contains("error:", up.Stderr, StringComparison.Ordinal);

        var mkdir = await Uftp("mkdir", Auth + ":/cli");
        Assert.True(mkdir.ExitCode == 0, mkdir.ToString());
        up = await Uftp("cp", "-n", "2", "-E", "-C", src, Auth + ":/cli/");
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Contains("-> /cli/cli-src.bin: 700000 bytes", up.Stdout, StringComparison.Ordinal);
        Assert.Contains("SHA-256", up.Stdout, StringComparison.Ordinal);
        Assert.Equal(data, await File.ReadAllBytesAsync(fx.RemoteReal("cli/cli-src.bin")));

        var down = await Uftp("--json", "cp", "-n", "4", "-E", "--algorithm", "AES", Auth + ":/cli/cli-src.bin", fx.LocalPath("cli-back.bin"));
        Assert.True(down.ExitCode == 0, down.ToString());
        using var doc = JsonDocument.Parse(down.Stdout);
        var r = doc.RootElement[0];
        Assert.Equal(700_000, r.GetProperty("bytes").GetInt64());
        Assert.Equal(4, r.GetProperty("streams").GetInt32());
        Assert.Equal(data, await File.ReadAllBytesAsync(fx.LocalPath("cli-back.bin")));
    }

    [Fact]
    public async Task Recursive_copy_with_threads_then_find_checksum_ls_and_rm()
    {
        string tree = fx.LocalPath("tree");
        Directory.CreateDirectory(Path.Combine(tree, "a", "b"));
        await File.WriteAllBytesAsync(Path.Combine(tree, "one"), UftpFixture.RandomBytes(1000, 1));
        await File.WriteAllBytesAsync(Path.Combine(tree, "a", "two"), UftpFixture.RandomBytes(2000, 2));
        await File.WriteAllBytesAsync(Path.Combine(tree, "a", "b", "three"), UftpFixture.RandomBytes(3000, 3));
        var up = await Uftp("cp", "-r", "-t", "3", tree, Auth + ":/");
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Contains("3 file(s), 6000 bytes", up.Stdout, StringComparison.Ordinal);

        var find = await Uftp("find", Auth + ":/tree");
        Assert.Equal(["/tree/a/b/three", "/tree/a/two", "/tree/one"], find.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order().ToArray());

        var sums = await Uftp("--json", "checksum", "-r", "-a", "md5", Auth + ":/tree");
        Assert.True(sums.ExitCode == 0, sums.ToString());
        using (var doc = JsonDocument.Parse(sums.Stdout))
        {
            Assert.Equal(3, doc.RootElement.GetArrayLength());
            Assert.All(doc.RootElement.EnumerateArray(), e => Assert.Equal("MD5", e.GetProperty("algorithm").GetString()));
        }

        var back = await Uftp("cp", "-r", Auth + ":/tree", fx.LocalPath("tree-back"));
        Assert.True(back.ExitCode == 0, back.ToString());
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(tree, "a", "b", "three")), await File.ReadAllBytesAsync(fx.LocalPath("tree-back/a/b/three")));

        var ls = await Uftp("ls", Auth + ":/tree");
        Assert.Contains(" one", ls.Stdout, StringComparison.Ordinal);
        Assert.StartsWith("d", ls.Stdout.Split('\n').Single(l => l.EndsWith(" a", StringComparison.Ordinal)), StringComparison.Ordinal);

        var noR = await Uftp("rm", Auth + ":/tree");
        Assert.Equal(2, noR.ExitCode);
        var rm = await Uftp("rm", "-r", Auth + ":/tree");
        Assert.True(rm.ExitCode == 0, rm.ToString());
        Assert.False(Directory.Exists(fx.RemoteReal("tree")));
    }

    [Fact]
    public async Task Byte_range_resume_and_errors()
    {
        var data = UftpFixture.RandomBytes(100_000, 4);
        await File.WriteAllBytesAsync(fx.RemoteReal("cli-range.bin"), data);
        var range = await Uftp("cp", "-B", "1k-2047", Auth + ":/cli-range.bin", fx.LocalPath("cli-range.part1"));
        Assert.True(range.ExitCode == 0, range.ToString());
        Assert.Equal(data.AsSpan(1024, 1024).ToArray(), await File.ReadAllBytesAsync(fx.LocalPath("cli-range.part1")));

        await File.WriteAllBytesAsync(fx.LocalPath("cli-resume.bin.part"), data.AsSpan(0, 40_000).ToArray());
        var resume = await Uftp("--json", "cp", "-R", Auth + ":/cli-range.bin", fx.LocalPath("cli-resume.bin"));
        Assert.True(resume.ExitCode == 0, resume.ToString());
        using (var doc = JsonDocument.Parse(resume.Stdout))
        {
            Assert.Equal(60_000, doc.RootElement[0].GetProperty("bytes").GetInt64());
        }

        Assert.Equal(data, await File.ReadAllBytesAsync(fx.LocalPath("cli-resume.bin")));

        var missing = await Uftp("cp", Auth + ":/nope.bin", fx.LocalPath("nope"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("error: uftpd refused MLST", missing.Stderr, StringComparison.Ordinal);
        var badRange = await Uftp("cp", "-B", "9-1", Auth + ":/cli-range.bin", fx.LocalPath("x"));
        Assert.Equal(2, badRange.ExitCode);
        var wrong = await ToolkitCli.RunAsync(["uftp", "ls", "-u", "demouser:bad", Auth + ":/"]);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("HTTP 401", wrong.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("bad", wrong.Stderr.Replace("HTTP", "", StringComparison.Ordinal), StringComparison.Ordinal);
        var noPassword = await ToolkitCli.RunAsync(["uftp", "ls", "-u", "demouser", Auth + ":/"]);
        Assert.Equal(2, noPassword.ExitCode);
        Assert.Contains("-P", noPassword.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authenticate_info_and_issue_token()
    {
        var auth = await Uftp("--json", "authenticate", Auth);
        Assert.True(auth.ExitCode == 0, auth.ToString());
        using (var doc = JsonDocument.Parse(auth.Stdout))
        {
            Assert.Equal(fx.Host.Uftpd.ListenEndpoint.Port, doc.RootElement.GetProperty("serverPort").GetInt32());
            Assert.Equal(20, doc.RootElement.GetProperty("secret").GetString()!.Length);
        }

        var info = await Uftp("info", Auth);
        Assert.Contains("Server: TEST", info.Stdout, StringComparison.Ordinal);
        var token = await Uftp("issue-token", Auth);
        Assert.True(token.ExitCode == 0, token.ToString());
        var withToken = await ToolkitCli.RunAsync(["uftp", "ls", "-A", token.Stdout.Trim(), Auth + ":/"]);
        Assert.True(withToken.ExitCode == 0, withToken.ToString());
    }
}
