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

    /// <summary><c>cp [-T N] [-f] [-dryrun] [-norecovery] [-strictspec] [-glob P] SOURCE TARGET</c> (alienpy's options; the rest are accepted and ignored).</summary>
    private async Task<int> CopyAsync(List<string> args, TextWriter output, CancellationToken ct)
    {
        int parallel = 8;
        bool md5 = false, dry = false, noRecovery = false, strict = false;
        string pattern = "*";
        var paths = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "-T" when i + 1 < args.Count && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out parallel):
                    i++;
                    break;
                case "-glob" when i + 1 < args.Count:
                    pattern = args[++i];
                    break;
                case "-f": md5 = true; break;
                case "-dryrun": dry = true; break;
                case "-norecovery": noRecovery = true; break;
                case "-strictspec": strict = true; break;
                case "-y" or "-cksum" or "-fastcheck" or "-skipmd5" or "-xrdcp": break;
                case "-tpc":
                    await _console.Error.WriteLineAsync("error: cp -tpc (third-party copy) is not supported").ConfigureAwait(false);
                    return 22;
                default:
                    paths.Add(args[i]);
                    break;
            }
        }
        if (paths.Count != 2)
        {
            await _console.Error.WriteLineAsync("usage: cp [-T N] [-f] [-dryrun] [-norecovery] [-strictspec] [-glob PATTERN] SOURCE TARGET (local paths start with file:)").ConfigureAwait(false);
            return 22;
        }
        var connection = await ConnectionAsync(ct).ConfigureAwait(false);
        var progress = !_console.IsOutputRedirected;
        var items = await new AlienCopy(connection).CopyAsync(paths[0], paths[1], new AlienCopyOptions
        {
            Parallel = Math.Max(1, parallel), CheckMd5 = md5, DryRun = dry, NoRecovery = noRecovery, StrictSpecs = strict, Pattern = pattern,
            KeepMetalinkDirectory = _env.IsOn("ALIENPY_KEEP_META") ? Directory.GetCurrentDirectory() : null,
            Progress = progress ? i => _console.Error.WriteLine($"[{i.Status}] {TerminalText.Clean(i.Source)} -> {TerminalText.Clean(i.Target)}") : null,
        }, ct).ConfigureAwait(false);
        foreach (var item in items)
        {
            string line = item.Status switch
            {
                AlienCopyStatus.Failed => "failed: " + item.Source + " -> " + item.Target + ": " + item.Error,
                AlienCopyStatus.Skipped => "skipped (already valid): " + item.Target,
                AlienCopyStatus.Planned => item.Source + " -> " + item.Target,
                _ => "copied: " + item.Source + " -> " + item.Target + (item.StorageElements.Count > 0 ? " (" + string.Join(", ", item.StorageElements) + ")" : string.Empty),
            };
            await (item.Status == AlienCopyStatus.Failed ? _console.Error : output).WriteLineAsync(TerminalText.Clean(line)).ConfigureAwait(false);
        }
        // alienpy: success when at least one file was copied (or there was nothing to do).
        return items.Any(i => i.Status != AlienCopyStatus.Failed) || items.Count == 0 ? 0 : 5;
    }
}
