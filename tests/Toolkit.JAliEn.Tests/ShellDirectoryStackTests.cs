using System;
using System.Linq;
using System.Threading.Tasks;
using Toolkit.TestSupport;

namespace Toolkit.JAliEn.Tests;

/// <summary><c>pushd</c>, <c>popd</c> and <c>dirs</c> in the shell (the real binary against the peer).</summary>
[Collection("jalien")]
public sealed class ShellDirectoryStackTests(JAlienFixture fx)
{
    private const string Home = "/alice/cern.ch/user/j/jdoe/";

    [Fact]
    public async Task Pushd_popd_and_dirs_keep_a_stack_of_grid_directories()
    {
        var env = fx.NewEnvironment().ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
        env["HOME"] = env["TMPDIR"];
        var r = await ToolkitCli.RunAsync(["alien", "mkdir -p p/q r; pushd p/q; pushd ../../r; dirs; pushd; pwd; popd; popd; pwd; popd"], env);
        const string H = Home;
        Assert.Equal(
        [
            H + "p/q/ " + H,
            H + "r/ " + H + "p/q/ " + H,
            H + "r/ " + H + "p/q/ " + H,
            H + "p/q/ " + H + "r/ " + H,
            H + "p/q/",
            H + "r/ " + H,
            H,
            H,
        ], r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(22, r.ExitCode);
        Assert.Contains("popd: directory stack empty", r.Stderr, StringComparison.Ordinal);

        var bad = await ToolkitCli.RunAsync(["alien", "pushd no/such/dir; dirs"], env);
        Assert.Equal(0, bad.ExitCode);
        Assert.Contains("No such file or directory", bad.Stderr, StringComparison.Ordinal);
        Assert.Equal(Home, bad.Stdout.Trim());
    }
}
