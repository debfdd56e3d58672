using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading.Tasks;

namespace Toolkit.Cli.Tests.Aot;

/// <summary>What a run of the binary gave: the exit code, standard output as bytes and as text, standard error.</summary>
public sealed record BinaryResult(int ExitCode, byte[] StdoutBytes, string Stderr)
{
    public string Stdout => Encoding.UTF8.GetString(StdoutBytes);

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

/// <summary>
/// The <c>toolkit</c> the smoke tests run. <c>TOOLKIT_AOT_BINARY</c> names the Native AOT binary (scripts/test.sh
/// publishes it and sets the variable). Without it the JIT build (<c>dotnet toolkit.dll</c>) is run, except in CI
/// (<c>CI=true</c>), where a missing or broken AOT binary fails every smoke test with a message saying why: the smoke
/// tests never pass without having run what they claim to check.
/// </summary>
public sealed class ToolkitBinary
{
    /// <summary>The variable scripts/test.sh sets to the published AOT binary.</summary>
    public const string Variable = "TOOLKIT_AOT_BINARY";

    private static readonly Lazy<ToolkitBinary> Chosen = new(Choose);

    private ToolkitBinary(string program, IReadOnlyList<string> prefix, bool isAot)
    {
        Program = program;
        Prefix = prefix;
        IsAot = isAot;
    }

    /// <summary>The binary under test (throws, with the reason, when CI has no AOT binary to give).</summary>
    public static ToolkitBinary Current => Chosen.Value;

    /// <summary>The JIT build (<c>dotnet src/Cli/bin/CONFIG/TFM/toolkit.dll</c>): the reference an AOT run is compared with.</summary>
    public static ToolkitBinary Jit { get; } = new("dotnet", [ToolkitCli.Dll], isAot: false);

    /// <summary>True for the native binary.</summary>
    public bool IsAot { get; }

    /// <summary>The program started.</summary>
    public string Program { get; }

    /// <summary>Arguments before the command line (the dll for the JIT build).</summary>
    public IReadOnlyList<string> Prefix { get; }

    private static ToolkitBinary Choose()
    {
        string? path = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(path))
        {
            if (Environment.GetEnvironmentVariable("CI") == "true")
            {
                throw new InvalidOperationException($"{Variable} is not set, and in CI (CI=true) the smoke tests must run the Native AOT binary: run them through scripts/test.sh, which publishes it (dotnet publish src/Cli -c Release -r linux-x64 -o out/aot) and sets {Variable}=out/aot/toolkit");
            }

            return Jit;
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{Variable}={path}: no such file (publish it with: dotnet publish src/Cli -c Release -r linux-x64 -o out/aot)", path);
        }

        if (File.Exists(path + ".dll") || path.EndsWith(".dll", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{Variable}={path} is a framework-dependent build, not the Native AOT binary");
        }

        return new ToolkitBinary(Path.GetFullPath(path), [], isAot: true);
    }

    /// <summary>A start info for the binary with redirected streams, in <paramref name="workDir"/>.</summary>
    public ProcessStartInfo StartInfo(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? env = null, string? workDir = null)
    {
        var psi = new ProcessStartInfo(Program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workDir ?? Path.GetTempPath(),
        };
        foreach (var a in Prefix)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var kv in env ?? new Dictionary<string, string?>())
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

    /// <summary>Runs the binary to its end (at most 60 s), feeding <paramref name="stdin"/>; on the thread pool, so an
    /// in-process peer keeps serving.</summary>
    public Task<BinaryResult> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? env = null, string? stdin = null, string? workDir = null)
    {
        var psi = StartInfo(args, env, workDir);
        return Task.Run(async () =>
        {
            using var p = Process.Start(psi)!;
            var stdout = new MemoryStream();
            var so = p.StandardOutput.BaseStream.CopyToAsync(stdout);
            var se = p.StandardError.ReadToEndAsync();
            if (stdin is not null)
            {
                await p.StandardInput.WriteAsync(stdin);
            }

            p.StandardInput.Close();
            if (!p.WaitForExit(60_000))
            {
                p.Kill(entireProcessTree: true);
                throw new TimeoutException($"{psi.FileName} {string.Join(' ', psi.ArgumentList)} did not finish in 60 s");
            }

            await p.WaitForExitAsync();
            await so;
            return new BinaryResult(p.ExitCode, stdout.ToArray(), await se);
        });
    }

    public override string ToString() => IsAot ? "Native AOT " + Program : "JIT dotnet " + string.Join(' ', Prefix);
}
