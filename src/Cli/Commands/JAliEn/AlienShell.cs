using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.JAliEn;
using Toolkit.JAliEn.Connection;

namespace Toolkit.Cli;

/// <summary>
/// The alienpy-compatible command interpreter behind <c>toolkit alien</c>: <c>;</c> chaining, aliases, <c>!cmd</c>,
/// <c>cmd | shell</c>, the client-side verbs (cd -, cp, prompt, help, exit, time, ll/la/lla, $?), and every server verb
/// through the generated verb table (<see cref="AlienVerbs"/>) and argv builders, as the typed API uses them.
/// </summary>
internal sealed partial class AlienShell : IAsyncDisposable
{
    private static readonly string[] ClientVerbs = ["cd", "cp", "exit", "quit", "logout", "help", "?", "prompt", "exitcode", "$?", "time", "ll", "la", "lla", "home", "version", "token-info"];

    /// <summary>The verbs this client runs itself (help, suggestions, tab completion): every client verb of every AlienShell file.</summary>
    internal static IEnumerable<string> ClientCommandNames => ClientVerbs.Concat(NewClientVerbs).Concat(DirectoryVerbs);

    private readonly CliConsole _console;
    private readonly AlienEnvironment _env;
    private readonly Func<string?, CancellationToken, Task<AlienConnection>> _connect;
    private AlienConnection? _connection;
    private string _previousCwd = string.Empty;

    public AlienShell(CliConsole console, AlienEnvironment env, bool json, Func<string?, CancellationToken, Task<AlienConnection>> connect)
    {
        _console = console;
        _env = env;
        _connect = connect;
        Json = json || env.IsOn("ALIENPY_JSON");
        Aliases = LoadAliases();
        PromptDate = env.IsOn("ALIENPY_PROMPT_DATE");
        PromptPwd = env.IsOn("ALIENPY_PROMPT_CWD");
    }

    public bool Json { get; }

    public int LastExitCode { get; private set; }

    public bool ExitRequested { get; private set; }

    public bool PromptDate { get; private set; }

    public bool PromptPwd { get; private set; }

    public Dictionary<string, string> Aliases { get; }

    public string HomeFile(string name) => Path.Combine(_env.HomeDirectory, name);

    private Dictionary<string, string> LoadAliases()
    {
        string file = HomeFile(".alienpy_aliases");
        return File.Exists(file) ? AlienLine.ParseAliases(File.ReadAllLines(file)) : new Dictionary<string, string>(StringComparer.Ordinal);
    }

    public async Task<AlienConnection> ConnectionAsync(CancellationToken ct) => _connection ??= await _connect(null, ct).ConfigureAwait(false);

    /// <summary>Runs a line (maybe several commands); the exit code is the last command's.</summary>
    public async Task<int> ExecuteLineAsync(string line, CancellationToken ct)
    {
        foreach (var raw in AlienLine.SplitCommands(line))
        {
            string expanded = AlienLine.ApplyAliases(raw, Aliases);
            foreach (var command in expanded == raw ? [raw] : AlienLine.SplitCommands(expanded))
            {
                LastExitCode = await ExecuteCommandAsync(command, _console.Out, ct).ConfigureAwait(false);
                if (ExitRequested)
                {
                    return LastExitCode;
                }
            }
        }
        return LastExitCode;
    }

    private async Task<int> ExecuteCommandAsync(string command, TextWriter output, CancellationToken ct)
    {
        if (command.StartsWith('!'))
        {
            return await RunLocalAsync(command[1..], null, output, ct).ConfigureAwait(false);
        }
        if (AlienLine.SplitPipe(command) is { } pipe)
        {
            var captured = new StringWriter();
            int rc = await ExecuteCommandAsync(pipe.Alien, captured, ct).ConfigureAwait(false);
            return rc != 0 ? rc : await RunLocalAsync(pipe.Shell, captured.ToString(), output, ct).ConfigureAwait(false);
        }
        List<string> words;
        try
        {
            words = AlienLine.Words(command);
        }
        catch (FormatException e)
        {
            await _console.Error.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
            return 22;
        }
        if (words.Count == 0)
        {
            return LastExitCode;
        }
        try
        {
            return await DispatchAsync(words[0], words.Skip(1).ToList(), output, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AlienCommandException or AlienProtocolException or FormatException or ArgumentException or IOException
            or Toolkit.Runtime.Security.CredentialException or System.Security.Cryptography.CryptographicException)
        {
            await _console.Error.WriteLineAsync("error: " + TerminalText.Clean(e.Message.ReplaceLineEndings(" "))).ConfigureAwait(false);
            return e switch { AlienCommandException c => c.ExitCode, AlienConnectionException c => c.ExitCode, AlienProtocolException => 5, FileNotFoundException => 2, _ => 22 };
        }
    }

    private async Task<int> DispatchAsync(string verb, List<string> args, TextWriter output, CancellationToken ct)
    {
        bool json = Json || args.Remove("-json");
        switch (verb)
        {
            case "exit" or "quit" or "logout":
                ExitRequested = true;
                return args.Count > 0 && int.TryParse(args[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int code) ? code : LastExitCode;
            case "help" or "?":
                return await HelpAsync(args, output).ConfigureAwait(false);
            case "prompt":
                PromptDate ^= args.Contains("date");
                PromptPwd ^= args.Contains("pwd");
                return 0;
            case "exitcode" or "$?":
                await output.WriteLineAsync(LastExitCode.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
                return LastExitCode;
            case "version":
                await output.WriteLineAsync("toolkit alien " + (typeof(AlienShell).Assembly.GetName().Version?.ToString(3) ?? "0") + " (alienpy-compatible shell)").ConfigureAwait(false);
                return 0;
            case "time":
                var watch = Stopwatch.StartNew();
                int rc = args.Count == 0 ? 0 : await DispatchAsync(args[0], args.Skip(1).ToList(), output, ct).ConfigureAwait(false);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"time: {watch.Elapsed.TotalMilliseconds:0.###} ms")).ConfigureAwait(false);
                return rc;
            case "ll":
                return await DispatchAsync("ls", ["-l", .. args], output, ct).ConfigureAwait(false);
            case "la":
                return await DispatchAsync("ls", ["-a", .. args], output, ct).ConfigureAwait(false);
            case "lla":
                return await DispatchAsync("ls", ["-l", "-a", .. args], output, ct).ConfigureAwait(false);
            case "home":
                return await CdAsync(["~"], ct).ConfigureAwait(false);
            case "cd":
                return await CdAsync(args, ct).ConfigureAwait(false);
            case "pushd" or "popd" or "dirs":
                return await DirectoryStackAsync(verb, args, output, ct).ConfigureAwait(false);
            case "cp":
                return await CopyAsync(args, output, ct).ConfigureAwait(false);
            case "token-info":
                return await TokenInfoAsync(output).ConfigureAwait(false);
        }
        if (await ClientVerbAsync(verb, args, json, output, ct).ConfigureAwait(false) is { } handled)
        {
            return handled;
        }
        var spec = AlienVerbs.Find(verb);
        if (spec is not null && args.Any(a => a is "-h" or "--help" or "-help"))
        {
            await output.WriteAsync(spec.HelpText()).ConfigureAwait(false);
            return 0;
        }
        var connection = await ConnectionAsync(ct).ConfigureAwait(false);
        if (spec is null && !connection.ServerCommands.Contains(verb) && !_env.IsOn("ALIENPY_ALLOW_UNKNOWN_CMDS"))
        {
            var near = Suggest(verb, connection.ServerCommands.Concat(ClientCommandNames));
            await _console.Error.WriteLineAsync($"error: command not found: {TerminalText.Clean(verb)}" + (near.Count > 0 ? " (did you mean: " + string.Join(", ", near) + "?)" : string.Empty)).ConfigureAwait(false);
            return 127;
        }
        if (verb == "ls" && !args.Contains("-F"))
        {
            args.Insert(0, "-F");
        }
        var paths = AlienPaths.Of(connection);
        var line = spec?.BuildArgv(args, paths) ?? new AlienCommandLine(verb, args);
        if (!json)
        {
            line = line with { Options = [.. line.Options, "-nokeys"] };
        }
        var reply = await connection.SendAsync(line, ct).ConfigureAwait(false);
        return await PrintAsync(verb, reply, json, output).ConfigureAwait(false);
    }

    private async Task<int> PrintAsync(string verb, ReadOnlyMemory<byte> reply, bool json, TextWriter output)
    {
        var result = AlienReplyReader.ReadUntyped(reply, verb, AlienErrorMode.Return);
        if (json)
        {
            await output.WriteLineAsync(Encoding.UTF8.GetString(reply.Span)).ConfigureAwait(false);
        }
        else
        {
            foreach (var message in result.Messages.Where(m => m.Length > 0))
            {
                foreach (var l in message.Split('\n'))
                {
                    await output.WriteLineAsync(TerminalText.Clean(l)).ConfigureAwait(false);
                }
            }
        }
        if (result.ExitCode != 0 && result.Error.Length > 0 && !json)
        {
            await _console.Error.WriteLineAsync(TerminalText.Clean(result.Error.ReplaceLineEndings(" "))).ConfigureAwait(false);
        }
        return result.ExitCode;
    }

    private async Task<int> CdAsync(List<string> args, CancellationToken ct)
    {
        var connection = await ConnectionAsync(ct).ConfigureAwait(false);
        string before = connection.CurrentDirectory;
        string target = args.Count == 0 ? connection.HomeDirectory : args[0] == "-" ? (_previousCwd.Length > 0 ? _previousCwd : before) : AlienPath.Expand(args[0], AlienPaths.Of(connection));
        var reply = await connection.SendAsync(new AlienCommandLine("cd", [target]), ct).ConfigureAwait(false);
        int rc = await PrintAsync("cd", reply, false, _console.Out).ConfigureAwait(false);
        if (rc == 0 && connection.CurrentDirectory != before)
        {
            _previousCwd = before;
            SaveSession(connection.CurrentDirectory, _previousCwd);
        }
        return rc;
    }

    private static async Task<int> HelpAsync(List<string> args, TextWriter output)
    {
        if (args.Count > 0 && AlienVerbs.Find(args[0]) is { } verb)
        {
            await output.WriteAsync(verb.HelpText()).ConfigureAwait(false);
            return 0;
        }
        await output.WriteLineAsync("server commands: " + string.Join(' ', AlienVerbs.All.Select(v => v.Name).Order(StringComparer.Ordinal))).ConfigureAwait(false);
        await output.WriteLineAsync("client commands: " + string.Join(' ', ClientCommandNames)).ConfigureAwait(false);
        await output.WriteLineAsync("help COMMAND shows its options; !cmd runs a local command; cmd | local pipes; ; chains").ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> RunLocalAsync(string command, string? input, TextWriter output, CancellationToken ct)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardInput = input is not null, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var process = Process.Start(start)!;
        var copy = Task.Run(async () =>
        {
            char[] buffer = new char[8192];
            int n;
            while ((n = await process.StandardOutput.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            {
                await output.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
            }
        }, ct);
        if (input is not null)
        {
            try
            {
                await process.StandardInput.WriteAsync(input.AsMemory(), ct).ConfigureAwait(false);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The command did not read all of its input (head, grep -q).
            }
        }
        try
        {
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        await copy.ConfigureAwait(false);
        await output.FlushAsync(ct).ConfigureAwait(false);
        return process.ExitCode;
    }

    private async Task<int> TokenInfoAsync(TextWriter output)
    {
        using var creds = AlienCredentials.Discover(_env, DateTimeOffset.UtcNow);
        await output.WriteLineAsync((creds.IsToken ? "token " : "user certificate ") + creds.Credential.Subject).ConfigureAwait(false);
        await output.WriteLineAsync("issuer   : " + creds.Credential.Issuer).ConfigureAwait(false);
        await output.WriteLineAsync("valid to : " + creds.Credential.NotAfter.ToString("u", CultureInfo.InvariantCulture)).ConfigureAwait(false);
        return 0;
    }

    /// <summary>The entries of a grid directory for completion (directories end in '/').</summary>
    public async Task<IReadOnlyList<string>> ListForCompletionAsync(string parent, CancellationToken ct)
    {
        var connection = await ConnectionAsync(ct).ConfigureAwait(false);
        string dir = parent.Length == 0 ? connection.CurrentDirectory : AlienPath.Expand(parent, AlienPaths.Of(connection));
        var reply = await connection.SendAsync(new AlienCommandLine("ls", ["-a", "-F", dir, "-nokeys"]), ct).ConfigureAwait(false);
        var result = AlienReplyReader.ReadUntyped(reply, "ls", AlienErrorMode.Return);
        return result.Messages.SelectMany(m => m.Split('\n')).Select(m => m.Trim()).Where(m => m.Length > 0).ToList();
    }

    private static List<string> Suggest(string word, IEnumerable<string> known) =>
        known.Distinct(StringComparer.Ordinal).Select(k => (k, d: Distance(word, k))).Where(x => x.d <= Math.Max(1, word.Length / 3)).OrderBy(x => x.d).Take(3).Select(x => x.k).ToList();

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }
        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
        }
        return d[a.Length, b.Length];
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
