using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Toolkit.Peers.JAliEn;

namespace Toolkit.JAliEn.Tests;

/// <summary>The client-side verbs of issue 14 through the real <c>toolkit alien</c> binary against the peer.</summary>
[Collection("jalien")]
public sealed class ShellVerbTests(JAlienFixture fx)
{
    private const string Home = "/alice/cern.ch/user/j/jdoe/";

    private Dictionary<string, string?> Env(out string home)
    {
        var env = fx.NewEnvironment();
        home = env["TMPDIR"];
        var result = env.ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
        result["HOME"] = home;
        return result;
    }

    private static void AssertOk(Tool.Result r) => Assert.True(r.ExitCode == 0, "exit " + r.ExitCode + ": " + r.Stderr + r.Stdout);

    [Fact]
    public async Task Quota_pfn_lfn2uri_jobInfo_and_find2_print_what_the_server_returned()
    {
        var env = Env(out string home);
        fx.Peer.Catalogue.MakeDirectories(Home + "sv/", "jdoe");
        var file = new JAlienEntry { Path = Home + "sv/data.root", Owner = "jdoe", Group = "jdoe", Size = 2048, Md5 = "00112233445566778899aabbccddeeff" };
        file.Replicas["ALICE::X::SE"] = "root://x.example.org//x/data.root";
        fx.Peer.Catalogue.Add(file);
        fx.Peer.Catalogue.Add(new JAlienEntry { Path = Home + "sv/small.root", Owner = "jdoe", Group = "jdoe", Size = 10 });
        fx.Peer.Catalogue.Add(new JAlienEntry { Path = Home + "sv/notes.txt", Owner = "jdoe", Group = "jdoe", Size = 4096 });
        var job = fx.Peer.Jobs.Add("jdoe", Home + "sv/job.jdl", "Executable = \"/bin/echo\";\nArguments = \"hi\";");
        job.Trace.Add("1700000000000 [trace     ]: Running JAliEn JobAgent 1.9 on wn07.example.org.");

        var quota = await ToolkitCli.RunAsync(["alien", "quota"], env);
        AssertOk(quota);
        Assert.Contains("Quota report for user: jdoe", quota.Stdout, StringComparison.Ordinal);
        Assert.Contains("of at most 1000", quota.Stdout, StringComparison.Ordinal);
        var nobody = await ToolkitCli.RunAsync(["alien", "quota", "nobody"], env);
        Assert.Equal(2, nobody.ExitCode);
        Assert.Contains("No such user: nobody", nobody.Stderr, StringComparison.Ordinal);

        var pfn = await ToolkitCli.RunAsync(["alien", "pfn", "sv/data.root"], env);
        AssertOk(pfn);
        Assert.Equal("root://x.example.org//x/data.root", pfn.Stdout.Trim());

        var uri = await ToolkitCli.RunAsync(["alien", "lfn2uri", "sv/data.root"], env);
        AssertOk(uri);
        Assert.StartsWith("root://x.example.org//x/data.root?xrd.wantprot=unix&authz=", uri.Stdout.Trim(), StringComparison.Ordinal);
        var writeNoLocal = await ToolkitCli.RunAsync(["alien", "lfn2uri", "sv/new.root", "write"], env);
        Assert.Equal(22, writeNoLocal.ExitCode);

        var info = await ToolkitCli.RunAsync(["alien", "jobInfo", job.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "-trace"], env);
        AssertOk(info);
        Assert.Contains("WorkerNode: wn07.example.org", info.Stdout, StringComparison.Ordinal);
        Assert.Contains("Trace info:", info.Stdout, StringComparison.Ordinal);
        Assert.Contains("2023-11-14 22:13:20 Running JAliEn JobAgent", info.Stdout, StringComparison.Ordinal);
        // Through the shell's own line (in command mode System.CommandLine unbundles "-jdl" into "-j -d -l").
        var jdl = await ToolkitCli.RunAsync(["alien"], env, stdin: "jobInfo " + job.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) + " -jdl\n");
        AssertOk(jdl);
        Assert.Contains("\"Executable\":\"/bin/echo\"", jdl.Stdout, StringComparison.Ordinal);

        var find2 = await ToolkitCli.RunAsync(["alien", "find2", "-name", "ext_root", "-minsize", "100", "sv/"], env);
        AssertOk(find2);
        Assert.Equal(Home + "sv/data.root", find2.Stdout.Trim());
        var badFind2 = await ToolkitCli.RunAsync(["alien", "find2", "-maxsize", "big", "sv/"], env);
        Assert.Equal(22, badFind2.ExitCode);
        Assert.Contains("-maxsize: 'big'", badFind2.Stderr, StringComparison.Ordinal);

        // The generated server verbs added with the client ones, through the shell's verb table.
        string id = job.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var server = await ToolkitCli.RunAsync(["alien"], env, stdin: string.Join('\n',
            "chmod 600 sv/notes.txt", "whois jdoe", "guidinfo " + file.Guid, "ps -trace " + id, "jquota list", "submit sv/small.root",
            "deleteMirror sv/data.root ALICE::X::SE", "kill " + id, "ps -j " + id) + "\n");
        AssertOk(server);
        Assert.Equal("600", fx.Peer.Catalogue.Get(Home + "sv/notes.txt")!.Permissions);
        Assert.Contains("Username: jdoe", server.Stdout, StringComparison.Ordinal);
        Assert.Contains("MD5: 00112233445566778899aabbccddeeff", server.Stdout, StringComparison.Ordinal);
        Assert.Contains("[trace     ]: Running JAliEn JobAgent", server.Stdout, StringComparison.Ordinal);
        Assert.Contains("Job quota of jdoe", server.Stdout, StringComparison.Ordinal);
        Assert.Contains("Your new job ID is", server.Stdout, StringComparison.Ordinal);
        Assert.Empty(fx.Peer.Catalogue.Get(Home + "sv/data.root")!.Replicas);
        Assert.Equal("KILLED", job.Status);
        var refused = await ToolkitCli.RunAsync(["alien", "deleteMirror", "sv/data.root", "ALICE::X::SE"], env);
        Assert.Equal(2, refused.ExitCode);

        var help = await ToolkitCli.RunAsync(["alien", "help"], env);
        Assert.Contains("token-init", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("jobInfo", help.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Certificate_verbs_check_the_user_certificate_and_token_init_writes_a_new_token()
    {
        var env = Env(out string home);
        var info = await ToolkitCli.RunAsync(["alien", "cert-info"], env);
        AssertOk(info);
        Assert.Contains("DN >>> " + JAlienFixture.UserDn, info.Stdout, StringComparison.Ordinal);
        AssertOk(await ToolkitCli.RunAsync(["alien", "cert-verify"], env));
        var match = await ToolkitCli.RunAsync(["alien", "certkey-match"], env);
        AssertOk(match);
        Assert.Contains("match", match.Stdout, StringComparison.Ordinal);

        var wrongKey = new Dictionary<string, string?>(env) { ["X509_USER_KEY"] = fx.Pki.ServerKey };
        var mismatch = await ToolkitCli.RunAsync(["alien", "certkey-match"], wrongKey);
        Assert.Equal(1, mismatch.ExitCode);
        Assert.Contains("do NOT match", mismatch.Stderr, StringComparison.Ordinal);
        var otherCa = new Dictionary<string, string?>(env) { ["X509_CERT_DIR"] = Directory.CreateTempSubdirectory("toolkit-noca-").FullName };
        File.Copy(fx.Pki.ServerCert, Path.Combine(otherCa["X509_CERT_DIR"]!, "other.pem"));
        Assert.NotEqual(0, (await ToolkitCli.RunAsync(["alien", "cert-verify"], otherCa)).ExitCode);

        // token-init: a session with the user certificate gets a token, written 0400 where alienpy writes it.
        var init = await ToolkitCli.RunAsync(["alien", "token-init", "-v", "1"], env);
        AssertOk(init);
        Assert.Contains("DN >>> ", init.Stdout, StringComparison.Ordinal);
        string cert = Assert.Single(Directory.GetFiles(home, "tokencert_*.pem"));
        string key = Assert.Single(Directory.GetFiles(home, "tokenkey_*.pem"));
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(cert));
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(key));
        using (var issued = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(cert)))
        {
            // -v 1 reached the server: one day, not the two of a default user token.
            Assert.InRange((issued.NotAfter.ToUniversalTime() - DateTime.UtcNow).TotalHours, 23, 24.1);
        }
        Assert.Contains(fx.Peer.Log, l => l.StartsWith("token -v 1", StringComparison.Ordinal));
        AssertOk(await ToolkitCli.RunAsync(["alien", "token-verify"], env));
        AssertOk(await ToolkitCli.RunAsync(["alien", "tokenkey-match"], env));
        // The token works on its own: without the user certificate the shell still connects.
        var tokenOnly = new Dictionary<string, string?>(env) { ["X509_USER_CERT"] = Path.Combine(home, "none.pem") };
        var pwd = await ToolkitCli.RunAsync(["alien", "pwd"], tokenOnly);
        AssertOk(pwd);

        var destroy = await ToolkitCli.RunAsync(["alien", "token-destroy"], env);
        AssertOk(destroy);
        Assert.Empty(Directory.GetFiles(home, "token*_*.pem"));
        Assert.Equal(2, (await ToolkitCli.RunAsync(["alien", "tokenkey-match"], env)).ExitCode);

        // An explicit token path is honoured.
        env["JALIEN_TOKEN_CERT"] = Path.Combine(home, "my-cert.pem");
        env["JALIEN_TOKEN_KEY"] = Path.Combine(home, "my-key.pem");
        AssertOk(await ToolkitCli.RunAsync(["alien", "token-init"], env));
        Assert.True(File.Exists(env["JALIEN_TOKEN_CERT"]) && File.Exists(env["JALIEN_TOKEN_KEY"]));
    }
}
