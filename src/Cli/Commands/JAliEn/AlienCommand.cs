using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.JAliEn;
using Toolkit.JAliEn.Connection;

namespace Toolkit.Cli;

/// <summary>
/// <c>toolkit alien</c>: with no command an alienpy-compatible shell; <c>toolkit alien CMD ARGS...</c> runs one line
/// (command mode, <c>;</c> chains); <c>toolkit alien FILE</c> runs a batch file. The exit code is the errno of the last
/// command. Everything after <c>alien</c> is passed through as typed (options such as <c>-l</c> belong to the verb).
/// </summary>
internal static class AlienCliCommands
{
    private static readonly JsonFlag Json = CliOptions.Json(recursive: false);

    public static Command Create()
    {
        var words = new Argument<string[]>("COMMAND") { Description = "A JAliEn command and its arguments (none: interactive shell), or a batch file", Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("alien", "JAliEn client (ALICE grid catalogue, jobs, cp through XRootD): an alienpy-compatible shell and command mode") { words };
        Json.AddTo(cmd);
        cmd.TreatUnmatchedTokensAsErrors = false;
        cmd.SetAction((p, ct) =>
        {
            var tokens = p.Tokens.Select(t => t.Value).SkipWhile(t => t != "alien").Skip(1).ToList();
            bool json = false;
            while (tokens.Count > 0 && tokens[0] is "-j" or "--json" or "-json")
            {
                json = true;
                tokens.RemoveAt(0);
            }
            return RunAsync(tokens, json, CliConsole.System(), AlienEnvironment.FromProcess(), ct);
        });
        return cmd;
    }

    public static async Task<int> RunAsync(IReadOnlyList<string> tokens, bool json, CliConsole console, AlienEnvironment env, CancellationToken ct)
    {
        var trace = AlienStartupTrace.FromEnvironment(env, console.Error);
        if (AlienSystemTrust.SkipSystemStore(env))
        {
            trace?.Phase("system CA store skipped (SSL_CERT_FILE/SSL_CERT_DIR emptied for this process; TOOLKIT_ALIEN_SYSTEM_CAS=1 keeps it)");
        }
        try
        {
            await using var shell = new AlienShell(console, env, json, (cwd, token) =>
                AlienConnection.ConnectAsync(new AlienConnectionOptions
                {
                    Environment = env,
                    KeepAlive = env.Seconds("ALIENPY_TIMEOUT", TimeSpan.FromSeconds(20)),
                    ConnectTries = env.Count("ALIENPY_CONNECT_TRIES"),
                    ConnectTriesInterval = env.Seconds("ALIENPY_CONNECT_TRIES_INTERVAL", TimeSpan.FromSeconds(0.3)),
                    NetworkStack = AlienConnectionOptions.FromEnvironment(env).NetworkStack,
                    NoStagger = env.IsOn("ALIENPY_NO_STAGGER"),
                    Site = env.Get("ALIEN_SITE"),
                    Passphrase = console.AskSecret,
                    InitialDirectory = cwd,
                    PhaseCompleted = trace is null ? null : trace.Phase,
                }, token)) { Trace = trace };
            if (tokens.Count == 0)
            {
                bool terminal = !Console.IsInputRedirected && !console.IsOutputRedirected;
                return await shell.RunInteractiveAsync(terminal ? AlienLineEditor.ReadLineAsync : (prompt, _, c) => ReadPlainAsync(console, prompt, c), ct).ConfigureAwait(false);
            }
            if (tokens.Count == 1 && File.Exists(tokens[0]) && AlienVerbs.Find(tokens[0]) is null)
            {
                // A batch file: its lines run as one ;-chained line.
                return await shell.ExecuteLineAsync(string.Join(";", await File.ReadAllLinesAsync(tokens[0], ct).ConfigureAwait(false)), ct).ConfigureAwait(false);
            }
            // As alienpy: the words make one line, and ';' chains commands (a word holding ';' is taken as typed).
            return await shell.ExecuteLineAsync(string.Join(' ', tokens.Select(t => t.Contains(';', StringComparison.Ordinal) ? t : AlienLine.Quote(t))), ct).ConfigureAwait(false);
        }
        catch (AlienConnectionException e)
        {
            await console.Error.WriteLineAsync("error: " + TerminalText.Clean(e.Message.ReplaceLineEndings(" "))).ConfigureAwait(false);
            return e.ExitCode;
        }
        catch (Exception e) when (CliErrors.TryReport(e, console.Error, out int code))
        {
            return code;
        }
        finally
        {
            trace?.Phase("connection closed, exit");
        }
    }

    private static async Task<string?> ReadPlainAsync(CliConsole console, string prompt, CancellationToken ct)
    {
        await console.Out.WriteAsync(prompt).ConfigureAwait(false);
        await console.Out.FlushAsync(ct).ConfigureAwait(false);
        string? line = await console.In.ReadLineAsync(ct).ConfigureAwait(false);
        if (line is not null && !Console.IsInputRedirected)
        {
            await console.Out.WriteLineAsync().ConfigureAwait(false);
        }
        return line;
    }
}
