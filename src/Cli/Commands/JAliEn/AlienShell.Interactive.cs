using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.JAliEn;
using Toolkit.JAliEn.Transfer;

namespace Toolkit.Cli;

internal sealed partial class AlienShell
{
    /// <summary>The prompt: <c>AliEn[user]:cwd &gt;</c>, with the date and the local cwd when toggled on.</summary>
    public string Prompt()
    {
        string user = _connection?.User ?? "?";
        string cwd = _connection?.CurrentDirectory ?? string.Empty;
        string prefix = PromptDate ? DateTime.Now.ToString("yyyy-MM-dd HH:mm:ss ", CultureInfo.InvariantCulture) : string.Empty;
        string local = PromptPwd ? " local:" + Directory.GetCurrentDirectory() : string.Empty;
        return prefix + "AliEn[" + TerminalText.Clean(user) + "]:" + TerminalText.Clean(cwd) + local + " >";
    }

    /// <summary>The startup trace (<c>ALIENPY_TIMECONNECT</c>/<c>TOOLKIT_TRACE_STARTUP</c>), or null.</summary>
    public AlienStartupTrace? Trace { get; init; }

    /// <summary>
    /// The interactive loop: connect with the cwd from <c>~/.alienpy_session</c> restored in the same round trip as the
    /// session start, then read, run and record lines until exit or end of input. A connection lost in the middle of
    /// the session does not end it: the error is printed, the cwd and history are kept, and the next command reconnects.
    /// </summary>
    public async Task<int> RunInteractiveAsync(Func<string, AlienShell, CancellationToken, Task<string?>> readLine, CancellationToken ct)
    {
        string? restore = null;
        if (!_env.IsOn("ALIENPY_NO_CWD_RESTORE") && ReadSession() is { } session)
        {
            _previousCwd = session.Previous;
            restore = session.Cwd.Length > 0 ? session.Cwd : null;
        }
        _connection ??= await _connect(restore, ct).ConfigureAwait(false);
        string history = HomeFile(".alienpy_history");
        bool keepHistory = !_env.IsOn("ALIENPY_NO_HISTORY");
        bool first = true;
        while (!ExitRequested)
        {
            string prompt = Prompt();
            if (first)
            {
                Trace?.Phase("first prompt");
                first = false;
            }
            string? line = await readLine(prompt + " ", this, ct).ConfigureAwait(false);
            if (line is null)
            {
                break;
            }
            if (line.Trim().Length == 0)
            {
                continue;
            }
            if (keepHistory)
            {
                await File.AppendAllTextAsync(history, line.ReplaceLineEndings(" ") + "\n", ct).ConfigureAwait(false);
            }
            try
            {
                await ExecuteLineAsync(line, ct).ConfigureAwait(false);
            }
            catch (AlienConnectionException e)
            {
                // alienpy ends the shell here; the session is worth keeping: the connection reconnects on the next
                // command (and restores the cwd), so report and go on. Batch and command mode still exit with the errno.
                LastExitCode = e.ExitCode;
                await _console.Error.WriteLineAsync("error: " + TerminalText.Clean(e.Message.ReplaceLineEndings(" "))).ConfigureAwait(false);
                await _console.Error.WriteLineAsync("the connection to " + _connection.Endpoint + " is lost; the session is kept (cwd "
                    + TerminalText.Clean(_connection.CurrentDirectory) + ", history) and the next command reconnects").ConfigureAwait(false);
            }
        }
        return LastExitCode;
    }

    public IReadOnlyList<string> History()
    {
        string history = HomeFile(".alienpy_history");
        return File.Exists(history) && !_env.IsOn("ALIENPY_NO_HISTORY") ? File.ReadAllLines(history) : [];
    }

    private (string Cwd, string Previous)? ReadSession()
    {
        string file = HomeFile(".alienpy_session");
        if (!File.Exists(file))
        {
            return null;
        }
        string cwd = string.Empty, prev = string.Empty;
        foreach (var l in File.ReadLines(file))
        {
            if (l.StartsWith("CWD=", StringComparison.Ordinal))
            {
                cwd = l[4..].Trim();
            }
            else if (l.StartsWith("CWDPREV=", StringComparison.Ordinal))
            {
                prev = l[8..].Trim();
            }
        }
        return (cwd, prev);
    }

    private void SaveSession(string cwd, string previous)
    {
        try
        {
            File.WriteAllText(HomeFile(".alienpy_session"), "CWD=" + cwd + "\nCWDPREV=" + previous + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The session file is a convenience.
        }
    }
}
