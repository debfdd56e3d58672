using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace Toolkit.Cli.Tests.Aot;

/// <summary>
/// Runs every top-level command's verbs through the binary users install: the Native AOT <c>toolkit</c> in CI
/// (<see cref="ToolkitBinary"/>), because AOT can fail at run time where JIT works (reflection, dynamic code, trimmed
/// members). The protocols run against the test peers of tests/Toolkit.Peers, the security verbs on credentials made
/// here, and <c>xrdmon decode</c> must print byte for byte what the JIT build prints.
/// A new command group is one more entry in <see cref="Smoke"/>; <see cref="Every_top_level_command_has_a_smoke_entry"/>
/// fails until it has one.
/// </summary>
public sealed partial class AotSmokeTests
{
    /// <summary>One smoke run per top-level command of <c>toolkit</c>, in the order of the root help.</summary>
    private static readonly Dictionary<string, Func<ToolkitBinary, Task>> Smoke = new(StringComparer.Ordinal)
    {
        ["proxy"] = ProxyAsync,
        ["token"] = TokenAsync,
        ["xrdmon"] = XrdmonAsync,
        ["fts"] = FtsAsync,
        ["dd"] = DataDispatcherAsync,
        ["unicore"] = UnicoreAsync,
        ["uftp"] = UftpAsync,
        ["alien"] = AlienAsync,
        ["completion"] = CompletionAsync,
    };

    public static TheoryData<string> Commands() => new(Smoke.Keys);

    [Theory]
    [MemberData(nameof(Commands))]
    public Task Verbs_run_through_the_shipped_binary(string command) => Smoke[command](ToolkitBinary.Current);

    [Fact]
    public void Every_top_level_command_has_a_smoke_entry()
    {
        var tree = Program.CreateRoot().Subcommands.Select(c => c.Name).ToList();
        Assert.True(tree.SequenceEqual(Smoke.Keys), $"toolkit has the commands [{string.Join(' ', tree)}] but the AOT smoke test covers [{string.Join(' ', Smoke.Keys)}]: add an entry to AotSmokeTests.Smoke");
    }

    [Fact]
    public async Task Help_of_every_command_renders_through_the_shipped_binary()
    {
        var bin = ToolkitBinary.Current;
        var paths = new List<(string[] Words, Command Command)>();
        void Walk(Command c, string[] words)
        {
            paths.Add((words, c));
            foreach (var s in c.Subcommands)
            {
                Walk(s, [.. words, s.Name]);
            }
        }

        Walk(Program.CreateRoot(), []);
        foreach (var (words, command) in paths)
        {
            var r = await bin.RunAsync([.. words, "--help"]);
            Ok(r, bin);
            Assert.Contains("Usage:", r.Stdout, StringComparison.Ordinal);
            Assert.Contains(("toolkit " + string.Join(' ', words)).TrimEnd(), r.Stdout, StringComparison.Ordinal);
            foreach (var sub in command.Subcommands.Where(s => !s.Hidden))
            {
                Assert.Contains(sub.Name, r.Stdout, StringComparison.Ordinal);
            }
        }

        Assert.True(paths.Count > 30, "every protocol verb was asked for its help");
    }

    [Fact]
    public async Task A_usage_error_and_version_work_through_the_shipped_binary()
    {
        var bin = ToolkitBinary.Current;
        var bad = await bin.RunAsync(["fts", "status"]);
        Assert.True(bad.ExitCode != 0, bad.ToString());
        Assert.DoesNotContain("   at ", bad.Stderr, StringComparison.Ordinal); // no stack trace
        var version = await bin.RunAsync(["--version"]);
        Ok(version, bin);
        Assert.StartsWith("0.", version.Stdout, StringComparison.Ordinal);
    }

    internal static void Ok(BinaryResult r, ToolkitBinary bin)
        => Assert.True(r.ExitCode == 0, $"{bin}: {r}");

    private static async Task CompletionAsync(ToolkitBinary bin)
    {
        foreach (var shell in CompletionCommands.Shells)
        {
            var r = await bin.RunAsync(["completion", shell]);
            Ok(r, bin);
            var expected = new StringWriter();
            CompletionCommands.Print(new CompletionOptions(shell), Program.CreateRoot(), new CliConsole(expected, TextWriter.Null));
            Assert.Equal(expected.ToString(), r.Stdout);
            Assert.Contains("'toolkit fts') echo 'info whoami delegate submit", r.Stdout, StringComparison.Ordinal);
        }
    }
}
