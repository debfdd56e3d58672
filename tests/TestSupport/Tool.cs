using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;

namespace Toolkit.TestSupport;

/// <summary>Runs a real program (openssl, grid-proxy-info, voms-proxy-info …) with a timeout.</summary>
public static class Tool
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
    }

    public static Result Run(string program, IEnumerable<string> args, IDictionary<string, string>? env = null, string? stdin = null, string? workDir = null)
    {
        var psi = StartInfo(program, args, workDir);
        if (env is not null)
        {
            foreach (var kv in env)
            {
                psi.Environment[kv.Key] = kv.Value;
            }
        }
        return Run(psi, stdin);
    }

    /// <summary>A start info with redirected standard streams, run in <paramref name="workDir"/> (default: the temporary folder).</summary>
    public static ProcessStartInfo StartInfo(string program, IEnumerable<string> args, string? workDir = null)
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
        return psi;
    }

    /// <summary>Runs a prepared start info (see <see cref="StartInfo"/>), feeding <paramref name="stdin"/>, for at most 60 s.</summary>
    public static Result Run(ProcessStartInfo psi, string? stdin = null)
    {
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
            throw new TimeoutException($"{psi.FileName} did not finish in 60 s");
        }
        p.WaitForExit();
        return new Result(p.ExitCode, so.Result, se.Result);
    }

    /// <summary>
    /// Runs a prepared start info like <see cref="Run(ProcessStartInfo, string?)"/> and also returns the child's peak
    /// resident memory (<c>VmHWM</c> of /proc/PID/status, sampled every 20 ms until it exits; the last sample is the
    /// peak up to then, since VmHWM never decreases).
    /// </summary>
    public static (Result Result, long PeakBytes) RunMeasured(ProcessStartInfo psi, TimeSpan timeout)
    {
        using var p = Process.Start(psi)!;
        var so = p.StandardOutput.ReadToEndAsync();
        var se = p.StandardError.ReadToEndAsync();
        p.StandardInput.Close();
        long peak = 0;
        var status = "/proc/" + p.Id + "/status";
        var deadline = DateTime.UtcNow + timeout;
        while (!p.WaitForExit(20))
        {
            if (DateTime.UtcNow > deadline)
            {
                p.Kill(entireProcessTree: true);
                throw new TimeoutException($"{psi.FileName} did not finish in {timeout.TotalSeconds} s");
            }

            try
            {
                foreach (var line in File.ReadLines(status))
                {
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    {
                        var kb = long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture);
                        peak = Math.Max(peak, kb * 1024);
                    }
                }
            }
            catch (IOException)
            {
                // The process ended between the wait and the read.
            }
        }

        p.WaitForExit();
        return (new Result(p.ExitCode, so.Result, se.Result), peak);
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
