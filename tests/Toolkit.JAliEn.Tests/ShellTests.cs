using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;

namespace Toolkit.JAliEn.Tests;

/// <summary><c>toolkit alien</c> (the real binary) against the peer: command mode, batch files, the interactive shell on stdin.</summary>
[Collection("jalien")]
public sealed class ShellTests(JAlienFixture fx)
{
    private Dictionary<string, string?> Env(out string home)
    {
        var env = fx.NewEnvironment();
        home = env["TMPDIR"];
        var result = env.ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
        result["HOME"] = home;
        return result;
    }

    [Fact]
    public async Task Command_mode_runs_one_line_with_errno_exit_codes()
    {
        var env = Env(out _);
        var pwd = await ToolkitCli.RunAsync(["alien", "pwd"], env);
        Assert.Equal(0, pwd.ExitCode);
        Assert.Equal("/alice/cern.ch/user/j/jdoe/", pwd.Stdout.Trim());

        var missing = await ToolkitCli.RunAsync(["alien", "ls", "no/such/dir"], env);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("No such file or directory", missing.Stderr, StringComparison.Ordinal);

        var chained = await ToolkitCli.RunAsync(["alien", "mkdir -p w/x; cd w/x; pwd"], env);
        Assert.Equal(0, chained.ExitCode);
        Assert.Equal("/alice/cern.ch/user/j/jdoe/w/x/", chained.Stdout.Trim());

        var json = await ToolkitCli.RunAsync(["alien", "--json", "whoami"], env);
        using var doc = JsonDocument.Parse(json.Stdout);
        Assert.Equal("jdoe", doc.RootElement.GetProperty("metadata").GetProperty("user").GetString());
        Assert.Equal("jdoe", doc.RootElement.GetProperty("results")[0].GetProperty("username").GetString());

        var unknown = await ToolkitCli.RunAsync(["alien", "lss"], env);
        Assert.Equal(127, unknown.ExitCode);
        Assert.Contains("did you mean: ls", unknown.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Interactive_shell_prompts_keeps_history_session_and_aliases_pipes_and_runs_local_commands()
    {
        var env = Env(out string home);
        File.WriteAllText(Path.Combine(home, ".alienpy_aliases"), "mk=mkdir -p\nwhere=pwd\n");
        string script = string.Join('\n',
            "mk s1/s2", "cd s1", "cd s2", "cd -", "where", "pwd | tr a-z A-Z", "!echo local-$((40+2))", "ls -l", "$?", "exit 7", "pwd") + "\n";
        var r = await ToolkitCli.RunAsync(["alien"], env, stdin: script);
        Assert.Equal(7, r.ExitCode);
        Assert.Contains("AliEn[jdoe]:/alice/cern.ch/user/j/jdoe/ >", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("AliEn[jdoe]:/alice/cern.ch/user/j/jdoe/s1/s2/ >", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("/ALICE/CERN.CH/USER/J/JDOE/S1/", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("local-42", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("s2/", r.Stdout, StringComparison.Ordinal);
        // The line after exit never ran.
        Assert.Equal(10, File.ReadAllLines(Path.Combine(home, ".alienpy_history")).Length);
        Assert.Contains("CWD=/alice/cern.ch/user/j/jdoe/s1/", File.ReadAllText(Path.Combine(home, ".alienpy_session")), StringComparison.Ordinal);

        // The next shell starts where the last one was.
        var again = await ToolkitCli.RunAsync(["alien"], env, stdin: "pwd\n");
        Assert.Contains("AliEn[jdoe]:/alice/cern.ch/user/j/jdoe/s1/ >", again.Stdout, StringComparison.Ordinal);
        env["ALIENPY_NO_CWD_RESTORE"] = "1";
        var fresh = await ToolkitCli.RunAsync(["alien"], env, stdin: "pwd\n");
        Assert.Contains("AliEn[jdoe]:/alice/cern.ch/user/j/jdoe/ >", fresh.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batch_file_runs_its_lines_and_help_needs_no_connection()
    {
        var env = Env(out string home);
        string batch = Path.Combine(home, "batch.txt");
        File.WriteAllText(batch, "mkdir -p b1\ncd b1\npwd\n");
        var r = await ToolkitCli.RunAsync(["alien", batch], env);
        Assert.Equal(0, r.ExitCode);
        Assert.EndsWith("/b1/", r.Stdout.Trim(), StringComparison.Ordinal);

        env["ALIENPY_JCENTRAL_PORT"] = "1";
        var help = await ToolkitCli.RunAsync(["alien", "help", "ls"], env);
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("usage: ls", help.Stdout, StringComparison.Ordinal);
        var down = await ToolkitCli.RunAsync(["alien", "pwd"], env);
        Assert.Equal(107, down.ExitCode);
        Assert.Contains("could not connect", down.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cp_takes_dst_and_input_pairs_and_names_the_option_of_a_bad_value()
    {
        var env = Env(out string home);
        var setup = await ToolkitCli.RunAsync(["alien", "mkdir -p t; touch t/x.txt; touch t/y.root"], env);
        Assert.True(setup.ExitCode == 0, setup.Stderr);
        string local = Path.Combine(home, "dl");

        var dst = await ToolkitCli.RunAsync(["alien", "cp", "-dryrun", "-dst", "file:" + local, "t/x.txt", "t/y.root"], env);
        Assert.True(dst.ExitCode == 0, dst.Stderr + dst.Stdout);
        Assert.Contains("/jdoe/t/x.txt -> " + Path.Combine(local, "x.txt"), dst.Stdout, StringComparison.Ordinal);
        Assert.Contains("/jdoe/t/y.root -> " + Path.Combine(local, "y.root"), dst.Stdout, StringComparison.Ordinal);

        string input = Path.Combine(home, "pairs.txt");
        File.WriteAllText(input, "# pairs\n\nt/x.txt file:" + Path.Combine(local, "one.txt") + "\n");
        var pairs = await ToolkitCli.RunAsync(["alien", "cp", "-dryrun", "-input", input], env);
        Assert.True(pairs.ExitCode == 0, pairs.Stderr);
        Assert.Equal("/alice/cern.ch/user/j/jdoe/t/x.txt -> " + Path.Combine(local, "one.txt"), pairs.Stdout.Trim());

        var filtered = await ToolkitCli.RunAsync(["alien", "cp", "-dryrun", "-name", "ext_root", "t/", "file:" + local + "/"], env);
        Assert.True(filtered.ExitCode == 0, filtered.Stderr);
        Assert.Equal("/alice/cern.ch/user/j/jdoe/t/y.root -> " + Path.Combine(local, "y.root"), filtered.Stdout.Trim());

        File.WriteAllText(input, "t/x.txt\n");
        foreach (var (line, error) in new[]
        {
            ("cp -minsize 10k t/ file:" + local + "/", "-minsize: '10k' is not a whole number"),
            ("cp -name start_x t/ file:" + local + "/", "-name: unknown verb 'start_'"),
            ("cp -glob *.root -select root t/ file:" + local + "/", "mutually exclusive"),
            ("cp -max-ctime yesterday t/ file:" + local + "/", "-max-ctime: 'yesterday'"),
            ("cp -input " + input, "line 1: expected 'source target'"),
        })
        {
            var r = await ToolkitCli.RunAsync(["alien", .. line.Split(' ')], env);
            Assert.Equal(22, r.ExitCode);
            Assert.Contains(error, r.Stderr, StringComparison.Ordinal);
        }
    }
}
