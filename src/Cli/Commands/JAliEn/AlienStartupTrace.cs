using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using Toolkit.JAliEn.Connection;

namespace Toolkit.Cli;

/// <summary>
/// Where the shell's start goes: with <c>ALIENPY_TIMECONNECT</c> (alienpy's switch) or <c>TOOLKIT_TRACE_STARTUP</c>
/// set, each phase (credentials, CAs, TCP, TLS, session start, first prompt) is written to standard error with the
/// milliseconds since the <c>alien</c> command started and since the previous phase. The time from process start to
/// the command is printed first (from <c>/proc</c>, so only to the kernel's 10 ms clock tick).
/// </summary>
internal sealed class AlienStartupTrace
{
    private readonly TextWriter _error;
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private double _last;

    private AlienStartupTrace(TextWriter error)
    {
        _error = error;
        double sinceStart = (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds;
        _error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[startup] process start to 'alien' command: {sinceStart:0} ms (10 ms clock)"));
    }

    /// <summary>A trace when the environment asks for one, else null.</summary>
    /// <param name="env">The environment.</param>
    /// <param name="error">Where the lines go.</param>
    /// <returns>The trace or null.</returns>
    public static AlienStartupTrace? FromEnvironment(AlienEnvironment env, TextWriter error) =>
        env.IsOn("ALIENPY_TIMECONNECT") || env.IsOn("TOOLKIT_TRACE_STARTUP") ? new AlienStartupTrace(error) : null;

    /// <summary>Records the end of a phase.</summary>
    /// <param name="phase">What ended (no secrets).</param>
    public void Phase(string phase)
    {
        double now = _watch.Elapsed.TotalMilliseconds;
        lock (_watch)
        {
            _error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[startup] {now,8:0.0} ms (+{now - _last,6:0.0}) {TerminalText.Clean(phase)}"));
            _last = now;
        }
    }
}
