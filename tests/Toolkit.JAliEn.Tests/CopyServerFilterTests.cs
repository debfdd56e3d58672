using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading.Tasks;
using Toolkit.Peers.JAliEn;

namespace Toolkit.JAliEn.Tests;

/// <summary>
/// cp's server-side filters (<c>-j -l -o -e -site</c>, passed to the server's <c>find</c> as alienpy does) through the
/// real <c>toolkit alien</c> binary, against the peer whose envelopes point at a real xrootd.
/// </summary>
[Collection("jalien")]
public sealed class CopyServerFilterTests(JAlienFixture fx) : IDisposable
{
    private readonly XrootdServer _xrootd = new();
    private readonly string _work = Directory.CreateTempSubdirectory("toolkit-jalien-cpf-").FullName;

    public void Dispose()
    {
        _xrootd.Dispose();
        Directory.Delete(_work, recursive: true);
    }

    private static IEnumerable<string> Downloaded(string dir) =>
        Directory.Exists(dir) ? Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Select(Path.GetFileName).Order(StringComparer.Ordinal)! : [];

    [Fact]
    public async Task Cp_passes_j_l_o_e_and_site_to_find_and_downloads_only_the_files_the_server_selected()
    {
        var peer = await fx.StartPeerAsync(TimeSpan.FromMinutes(5), o =>
        {
            o.StorageElements["ALICE::PEER::SE1"] = _xrootd.Url + "//se1";
            o.StorageElements["ALICE::OTHER::SE"] = _xrootd.Url + "//other";
        });
        await using (peer)
        {
            var env = fx.NewEnvironment(peer).ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
            env["HOME"] = env["TMPDIR"];
            env["XRD_CONNECTIONRETRY"] = "1";
            string src = Path.Combine(_work, "src");
            Directory.CreateDirectory(src);
            var bytes = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (string name in new[] { "a.root", "b.root", "c.root", "d.log" })
            {
                bytes[name] = RandomNumberGenerator.GetBytes(1000 + name[0]);
                File.WriteAllBytes(Path.Combine(src, name), bytes[name]);
            }
            var up = await ToolkitCli.RunAsync(["alien", "cp", "file:" + src + "/", "run/@ALICE::PEER::SE1"], env);
            Assert.True(up.ExitCode == 0, up.Stderr + up.Stdout);
            const string Run = "/alice/cern.ch/user/j/jdoe/run/";
            Assert.Equal(4, peer.Catalogue.Below(Run).Count(e => !e.IsDirectory));
            // Two files were written by job 42; c.root also has a replica at the OTHER site.
            peer.Catalogue.Get(Run + "a.root")!.JobId = 42;
            peer.Catalogue.Get(Run + "d.log")!.JobId = 42;
            var c = peer.Catalogue.Get(Run + "c.root")!;
            c.Replicas["ALICE::OTHER::SE"] = c.Replicas.Values.First();

            string job = Path.Combine(_work, "job");
            var byJob = await ToolkitCli.RunAsync(["alien", "cp", "-j", "42", "run/", "file:" + job + "/"], env);
            Assert.True(byJob.ExitCode == 0, byJob.Stderr + byJob.Stdout);
            Assert.Equal(["a.root", "d.log"], Downloaded(job));
            Assert.Equal(bytes["d.log"], File.ReadAllBytes(Path.Combine(job, "d.log")));
            Assert.Contains(peer.Log, l => l.StartsWith("find ", StringComparison.Ordinal) && l.Contains(" -j 42 ", StringComparison.Ordinal));

            // -o 1 -l 2 over the sorted a b c d: b and c. -e drops d.log (and the offset counts after the exclusion).
            string page = Path.Combine(_work, "page");
            var paged = await ToolkitCli.RunAsync(["alien", "cp", "-e", "d.log", "-o", "1", "-l", "2", "run/", "file:" + page + "/"], env);
            Assert.True(paged.ExitCode == 0, paged.Stderr + paged.Stdout);
            Assert.Equal(["b.root", "c.root"], Downloaded(page));

            string excl = Path.Combine(_work, "excl");
            var excluded = await ToolkitCli.RunAsync(["alien", "cp", "-e", "a.root", "-e", ".log", "run/", "file:" + excl + "/"], env);
            Assert.True(excluded.ExitCode == 0, excluded.Stderr + excluded.Stdout);
            Assert.Equal(["b.root", "c.root"], Downloaded(excl));

            // -site becomes find -S: the file near that site is listed first, so -l 1 takes it.
            string near = Path.Combine(_work, "near");
            var site = await ToolkitCli.RunAsync(["alien", "cp", "-site", "OTHER", "-l", "1", "run/", "file:" + near + "/"], env);
            Assert.True(site.ExitCode == 0, site.Stderr + site.Stdout);
            Assert.Equal(["c.root"], Downloaded(near));
            Assert.Equal(bytes["c.root"], File.ReadAllBytes(Path.Combine(near, "c.root")));
            Assert.Contains(peer.Log, l => l.StartsWith("find ", StringComparison.Ordinal) && l.Contains(" -S OTHER", StringComparison.Ordinal));

            // A value that is not a number is refused before anything is sent, naming the option; an upload refuses them.
            var bad = await ToolkitCli.RunAsync(["alien", "cp", "-l", "ten", "run/", "file:" + near + "/"], env);
            Assert.Equal(22, bad.ExitCode);
            Assert.Contains("-l: 'ten' is not a whole number", bad.Stderr, StringComparison.Ordinal);
            var upload = await ToolkitCli.RunAsync(["alien", "cp", "-j", "42", "file:" + src + "/", "run2/"], env);
            Assert.Equal(22, upload.ExitCode);
            Assert.Contains("apply to downloads only", upload.Stderr, StringComparison.Ordinal);
        }
    }
    [Fact]
    public async Task Run_exec_and_edit_download_through_xrootd_and_edit_uploads_a_changed_file_keeping_a_backup()
    {
        var peer = await fx.StartPeerAsync(TimeSpan.FromMinutes(5), o => o.StorageElements["ALICE::PEER::SE1"] = _xrootd.Url + "//se1");
        await using (peer)
        {
            var env = fx.NewEnvironment(peer).ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
            env["HOME"] = env["TMPDIR"];
            string text = Path.Combine(_work, "hello.txt"), script = Path.Combine(_work, "s.sh");
            File.WriteAllText(text, "alpha\n");
            File.WriteAllText(script, "#!/bin/sh\necho script-$1\n");
            var up = await ToolkitCli.RunAsync(["alien", "cp file:" + text + " e/hello.txt@ALICE::PEER::SE1; cp file:" + script + " e/s.sh@ALICE::PEER::SE1"], env);
            Assert.True(up.ExitCode == 0, up.Stderr + up.Stdout);

            var run = await ToolkitCli.RunAsync(["alien", "run", "cat", "e/hello.txt"], env);
            Assert.True(run.ExitCode == 0, run.Stderr);
            Assert.Equal("alpha", run.Stdout.Trim());
            var tagged = await ToolkitCli.RunAsync(["alien", "run", "wc", "-c", "alien:e/hello.txt"], env);
            Assert.StartsWith("6 ", tagged.Stdout.Trim(), StringComparison.Ordinal);
            // more pages a downloaded copy on the terminal; with no terminal (here) it prints the file as it is.
            var more = await ToolkitCli.RunAsync(["alien", "more", "e/hello.txt"], env);
            Assert.True(more.ExitCode == 0, more.Stderr);
            Assert.Contains("alpha", more.Stdout, StringComparison.Ordinal);
            var exec = await ToolkitCli.RunAsync(["alien", "exec", "e/s.sh", "7"], env);
            Assert.True(exec.ExitCode == 0, exec.Stderr);
            Assert.Equal("script-7", exec.Stdout.Trim());
            var missing = await ToolkitCli.RunAsync(["alien", "run", "cat", "e/none.txt"], env);
            Assert.Equal(5, missing.ExitCode);
            Assert.Contains("could not download", missing.Stderr, StringComparison.Ordinal);

            const string Lfn = "/alice/cern.ch/user/j/jdoe/e/hello.txt";
            string oldMd5 = peer.Catalogue.Get(Lfn)!.Md5;
            env["EDITOR"] = "true";
            var unchanged = await ToolkitCli.RunAsync(["alien", "edit", "e/hello.txt"], env);
            Assert.True(unchanged.ExitCode == 0, unchanged.Stderr);
            Assert.Null(peer.Catalogue.Get(Lfn + "~"));

            env["EDITOR"] = "sed -i s/alpha/beta/";
            var edit = await ToolkitCli.RunAsync(["alien", "edit", "e/hello.txt"], env);
            Assert.True(edit.ExitCode == 0, edit.Stderr + edit.Stdout);
            Assert.Contains("Uploaded " + Lfn, edit.Stdout, StringComparison.Ordinal);
            Assert.Equal(oldMd5, peer.Catalogue.Get(Lfn + "~")!.Md5);
            Assert.Equal(Convert.ToHexStringLower(MD5.HashData("beta\n"u8)), peer.Catalogue.Get(Lfn)!.Md5);
            var after = await ToolkitCli.RunAsync(["alien", "run", "cat", "e/hello.txt"], env);
            Assert.Equal("beta", after.Stdout.Trim());

            env["EDITOR"] = "false";
            var failing = await ToolkitCli.RunAsync(["alien", "edit", "e/hello.txt"], env);
            Assert.Equal(1, failing.ExitCode);
            Assert.Contains("nothing uploaded", failing.Stderr, StringComparison.Ordinal);
        }
    }
}
