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

    /// <summary>The interactive loop: restore the cwd, then read, run and record lines until exit or end of input.</summary>
    public async Task<int> RunInteractiveAsync(Func<string, AlienShell, CancellationToken, Task<string?>> readLine, CancellationToken ct)
    {
        var connection = await ConnectionAsync(ct).ConfigureAwait(false);
        if (!_env.IsOn("ALIENPY_NO_CWD_RESTORE") && ReadSession() is { } session)
        {
            _previousCwd = session.Previous;
            if (session.Cwd.Length > 0 && session.Cwd != connection.CurrentDirectory)
            {
                await connection.SendAsync(new AlienCommandLine("cd", [session.Cwd]), ct).ConfigureAwait(false);
            }
        }
        string history = HomeFile(".alienpy_history");
        bool keepHistory = !_env.IsOn("ALIENPY_NO_HISTORY");
        while (!ExitRequested)
        {
            string? line = await readLine(Prompt() + " ", this, ct).ConfigureAwait(false);
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
            await ExecuteLineAsync(line, ct).ConfigureAwait(false);
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
