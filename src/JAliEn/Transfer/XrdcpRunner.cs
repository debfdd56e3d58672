using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.JAliEn.Transfer;

/// <summary>The outcome of one <c>xrdcp</c> run.</summary>
/// <param name="ExitCode">Its exit code (-1 when it timed out or could not start).</param>
/// <param name="Error">Its last stderr lines, or why it could not run.</param>
public readonly record struct XrdcpOutcome(int ExitCode, string Error)
{
    /// <summary>True when xrdcp exited with 0.</summary>
    public bool Succeeded => ExitCode == 0;
}

/// <summary>Runs Debian's <c>xrdcp</c> as the transfer engine: with a timeout, killed (with its children) on cancel.</summary>
public static class XrdcpRunner
{
    /// <summary>Runs <c>xrdcp</c> with <paramref name="arguments"/>.</summary>
    /// <param name="executable">The xrdcp program.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="timeout">The most time the transfer may take.</param>
    /// <param name="environment">Extra environment variables (XRD_* tuning).</param>
    /// <param name="cancellationToken">Kills the process when cancelled.</param>
    /// <returns>The outcome.</returns>
    public static async Task<XrdcpOutcome> RunAsync(string executable, IReadOnlyList<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[k] = v;
        }
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            return new XrdcpOutcome(-1, $"cannot run {executable} ({e.Message}); install xrootd-client");
        }
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return new XrdcpOutcome(-1, string.Create(CultureInfo.InvariantCulture, $"xrdcp took longer than {timeout.TotalSeconds:0} s and was stopped"));
        }
        string err = (await stderr.ConfigureAwait(false)).Trim();
        _ = await stdout.ConfigureAwait(false);
        return new XrdcpOutcome(process.ExitCode, err.Length > 2000 ? err[^2000..] : err);
    }
}
