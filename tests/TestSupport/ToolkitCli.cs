using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;

namespace Toolkit.TestSupport;

/// <summary>
/// Finds and runs the real <c>toolkit</c> binary (src/Cli) built in the same configuration as the calling test
/// assembly: <c>src/Cli/bin/CONFIG/TFM/toolkit.dll</c>, or the copy next to the test assembly when the test project
/// references the CLI and src/Cli's output is elsewhere.
/// </summary>
public static class ToolkitCli
{
    private static readonly Lazy<string> DllPath = new(Locate);

    /// <summary>The path of <c>toolkit.dll</c>; fails when it has not been built.</summary>
    public static string Dll => DllPath.Value;

    /// <summary>Runs <c>dotnet toolkit.dll ARGS</c> and waits for it (at most 60 s).</summary>
    /// <param name="args">The command line after the binary.</param>
    /// <param name="env">Environment changes: a <see langword="null"/> value removes the variable.</param>
    /// <param name="stdin">Text fed to standard input (then closed).</param>
    /// <param name="workDir">Working directory (default: the temporary folder).</param>
    public static Tool.Result Run(IEnumerable<string> args, Dictionary<string, string?>? env = null, string? stdin = null, string? workDir = null)
        => Tool.Run(StartInfo(args, env, workDir), stdin);

    /// <summary>Runs the binary on the thread pool and returns its result and peak resident memory (<see cref="Tool.RunMeasured"/>).</summary>
    public static Task<(Tool.Result Result, long PeakBytes)> RunMeasuredAsync(IEnumerable<string> args, Dictionary<string, string?>? env = null, string? workDir = null)
        => Task.Run(() => Tool.RunMeasured(StartInfo(args, env, workDir), TimeSpan.FromSeconds(60)));

    private static System.Diagnostics.ProcessStartInfo StartInfo(IEnumerable<string> args, Dictionary<string, string?>? env, string? workDir)
    {
        var all = new List<string> { Dll };
        all.AddRange(args);
        var psi = Tool.StartInfo("dotnet", all, workDir);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var kv in env ?? [])
        {
            if (kv.Value is null)
            {
                psi.Environment.Remove(kv.Key);
            }
            else
            {
                psi.Environment[kv.Key] = kv.Value;
            }
        }

        return psi;
    }

    /// <summary><see cref="Run"/> on the thread pool, so an in-process peer keeps serving while the binary runs.</summary>
    public static Task<Tool.Result> RunAsync(IEnumerable<string> args, Dictionary<string, string?>? env = null, string? stdin = null, string? workDir = null)
        => Task.Run(() => Run(args, env, stdin, workDir));

    private static string Locate()
    {
        // tests/<Project>/bin/<Config>/<Tfm> (or bench/...) → src/Cli/bin/<Config>/<Tfm>/toolkit.dll: the CLI's own
        // output, with its deps.json and runtimeconfig. A copy next to a test assembly that references ASP.NET Core
        // does not run: that project's output takes Microsoft.Extensions.* from the shared framework toolkit.dll
        // does not load, so the copy is only the fallback.
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string tfm = here.Name;
        string config = here.Parent!.Name;
        string dll = RepoPaths.Combine("src", "Cli", "bin", config, tfm, "toolkit.dll");
        if (File.Exists(dll))
        {
            return dll;
        }

        var local = Path.Combine(here.FullName, "toolkit.dll");
        if (File.Exists(local))
        {
            return local;
        }

        throw new FileNotFoundException($"toolkit.dll not found at {dll} nor next to the tests: build src/Cli in the {config} configuration", dll);
    }
}
