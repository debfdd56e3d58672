using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;

namespace Toolkit.Cli.Tests;

/// <summary><c>toolkit completion bash|zsh</c>: the scripts, loaded in a real bash and a real zsh, complete what the command tree holds.</summary>
public sealed class CompletionTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("toolkit-completion-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string Script(string shell)
    {
        var output = new StringWriter();
        Assert.Equal(0, CompletionCommands.Print(new CompletionOptions(shell), Program.CreateRoot(), new CliConsole(output, TextWriter.Null)));
        var path = Path.Combine(dir, "toolkit." + shell);
        File.WriteAllText(path, output.ToString());
        return path;
    }

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>What bash offers after the given words (the last one is the word being completed), one run of bash per call.</summary>
    private List<string[]> Bash(params string[][] lines)
    {
        var script = Script("bash");
        var body = string.Join('\n', lines.Select(words =>
            $"COMP_WORDS=({string.Join(' ', words.Select(Quote))}); COMP_CWORD={words.Length - 1}; COMP_LINE={Quote(string.Join(' ', words))}; " +
            "_toolkit; printf '%s ' \"${COMPREPLY[@]}\"; echo '|'"));
        var r = Tool.Run("bash", ["--norc", "--noprofile", "-c", $"set -u; source {Quote(script)}; complete -p toolkit >&2 || exit 3\n{body}"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("-F _toolkit toolkit", r.Stderr, StringComparison.Ordinal);
        return r.Stdout.Split('|', StringSplitOptions.None)[..^1].Select(l => l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToList();
    }

    /// <summary>What zsh's compadd is given after the given words, in a real zsh with compadd and _files recorded.</summary>
    private List<string[]> Zsh(params string[][] lines)
    {
        var script = Script("zsh");
        var body = string.Join('\n', lines.Select(words =>
            $"words=({string.Join(' ', words.Select(Quote))}); CURRENT={words.Length}; PREFIX={Quote(words[^1])}; _toolkit; print -rn -- '|'"));
        var stubs = "compdef() { print -r -- \"compdef $*\" >&2 }; compadd() { [[ $1 == -- ]] && shift; print -rn -- \"$* \" }; _files() { print -rn -- '<files> ' }";
        var r = Tool.Run("zsh", ["-f", "-c", $"{stubs}\nsource {Quote(script)}\n{body}"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("compdef _toolkit toolkit", r.Stderr, StringComparison.Ordinal);
        return r.Stdout.Split('|', StringSplitOptions.None)[..^1].Select(l => l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToList();
    }

    private static string[] Subcommands(string path)
    {
        Command c = Program.CreateRoot();
        foreach (var name in path.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            c = c.Subcommands.Single(s => s.Name == name);
        }

        return c.Subcommands.Where(s => !s.Hidden).SelectMany(s => new[] { s.Name }.Concat(s.Aliases.Order(StringComparer.Ordinal))).ToArray();
    }

    [Fact]
    public void Bash_completes_protocols_verbs_options_and_option_values()
    {
        var got = Bash(
            ["toolkit", "x"],
            ["toolkit", "fts", ""],
            ["toolkit", "fts", "-s", "https://fts.example.org:8446", "--capath", "/etc/grid-security/certificates", "sub"],
            ["toolkit", "dd", "project", "cr"],
            ["toolkit", "proxy", "init", "--va"],
            ["toolkit", "xrdmon", "decode", "--format", ""],
            ["toolkit", "completion", ""]);
        Assert.Equal(["xrdmon"], got[0]);
        Assert.Equal(Subcommands("fts"), got[1]);
        Assert.Contains("submit", Subcommands("fts"));
        Assert.Equal(["submit"], got[2]);
        Assert.Equal(["create"], got[3]);
        Assert.Equal(["--valid"], got[4]);
        Assert.Equal(["jsonl", "table"], got[5].Order(StringComparer.Ordinal));
        Assert.Empty(got[6]); // an argument: bash falls back to file names (-o default)
    }

    [Fact]
    public void Bash_completes_the_subcommands_of_every_command_of_the_tree()
    {
        var paths = new List<string>();
        void Walk(Command c, string path)
        {
            paths.Add(path);
            foreach (var s in c.Subcommands)
            {
                Walk(s, (path + " " + s.Name).Trim());
            }
        }

        Walk(Program.CreateRoot(), "");
        var got = Bash(paths.Select(p => new[] { "toolkit" }.Concat(p.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Append("").ToArray()).ToArray());
        for (int i = 0; i < paths.Count; i++)
        {
            Assert.True(Subcommands(paths[i]).SequenceEqual(got[i]), $"'toolkit {paths[i]} ': expected [{string.Join(' ', Subcommands(paths[i]))}], got [{string.Join(' ', got[i])}]");
        }

        Assert.True(paths.Count > 30, "the tree has the protocol verbs");
    }

    [Fact]
    public void Zsh_completes_protocols_verbs_options_and_files()
    {
        var got = Zsh(
            ["toolkit", "x"],
            ["toolkit", "fts", ""],
            ["toolkit", "dd", "--server", "http://dd.example.org", "wor"],
            ["toolkit", "token", "info", "--"],
            ["toolkit", "token", "info", "--file", ""]);
        Assert.Contains("xrdmon", got[0]); // compadd filters by PREFIX itself: every subcommand is offered
        Assert.Equal(Subcommands(""), got[0]);
        Assert.Equal(Subcommands("fts"), got[1]);
        Assert.Equal(Subcommands("dd"), got[2]);
        Assert.Contains("--file", got[3]);
        Assert.Contains("--json", got[3]);
        Assert.Equal(["<files>"], got[4]);
    }

    [Fact]
    public void Zsh_completes_in_an_interactive_zsh_after_compinit_from_fpath()
    {
        // The script saved as _toolkit in $fpath, compinit, then TAB typed on a pseudo-terminal (zsh/zpty): what the
        // line editor draws, terminal control sequences removed, must be the completed command line.
        var fpath = Directory.CreateDirectory(Path.Combine(dir, "fpath")).FullName;
        File.Copy(Script("zsh"), Path.Combine(fpath, "_toolkit"));
        var driver = Path.Combine(dir, "drive.zsh");
        File.WriteAllLines(driver,
        [
            "zmodload zsh/zpty",
            "zpty z 'zsh -f -i'",
            $"zpty -w z 'PS1=\"\"; fpath=({fpath} $fpath); autoload -U compinit; compinit -u -D; toolkit() {{ :; }}'",
            "zpty -w z $'toolkit fts su\\t'",
            "out=''",
            "for i in {1..300}; do",
            "  while zpty -r -t z line; do out+=$line; done",
            "  [[ ${out//$'\\e'\\[[0-9;?]#[A-Za-z]/} == *'toolkit fts submit'* ]] && break",
            "  sleep 0.1",
            "done",
            "zpty -d z",
            "print -r -- \"${out//$'\\e'\\[[0-9;?]#[A-Za-z]/}\"",
        ]);
        var r = Tool.Run("zsh", ["-f", "-o", "extendedglob", driver]);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("toolkit fts submit", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_shell_is_a_usage_error()
    {
        var output = new StringWriter();
        int rc = Program.CreateRoot().Parse(["completion", "fish"]).Invoke(new InvocationConfiguration { Output = output, Error = output });
        Assert.NotEqual(0, rc);
        Assert.Contains("fish", output.ToString(), StringComparison.Ordinal);
    }
}
