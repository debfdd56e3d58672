using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;

namespace Toolkit.Runtime.Tests;

/// <summary>Runs a real program (openssl, grid-proxy-info, voms-proxy-info …) with a timeout.</summary>
internal static class Tool
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
    }

    public static Result Run(string program, IEnumerable<string> args, IDictionary<string, string>? env = null, string? stdin = null, string? workDir = null)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workDir ?? Path.GetTempPath(),
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        if (env is not null)
        {
            foreach (var kv in env)
            {
                psi.Environment[kv.Key] = kv.Value;
            }
        }
        using var p = Process.Start(psi)!;
        var so = p.StandardOutput.ReadToEndAsync();
        var se = p.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            p.StandardInput.Write(stdin);
        }
        p.StandardInput.Close();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish in 60 s");
        }
        p.WaitForExit();
        return new Result(p.ExitCode, so.Result, se.Result);
    }

    public static Result Openssl(params string[] args) => Run("openssl", args);

    public static Result MustRun(string program, params string[] args)
    {
        var r = Run(program, args);
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed: {r}");
        }
        return r;
    }
}
