using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using Spectre.Console;
using Toolkit.DataDispatcher;
using Toolkit.Runtime.Json;

namespace Toolkit.Cli;

/// <summary>The global options of <c>toolkit dd</c> and the shared plumbing: client creation, output, errors.</summary>
internal static class DdContext
{
    public static readonly Option<string?> Server = new("--server", "-s")
    {
        Description = "Data server URL (default: DATA_DISPATCHER_URL)",
        Recursive = true,
    };

    public static readonly Option<string?> AuthServer = new("--auth-server", "-a")
    {
        Description = "Auth server URL (default: DATA_DISPATCHER_AUTH_URL, else <server>/auth)",
        Recursive = true,
    };

    public static readonly JsonFlag Json = CliOptions.Json(recursive: true);

    public static readonly HttpLimitOptions Limits = new("300s");

    /// <summary>Binds the global options.</summary>
    public static DdGlobalOptions Global(ParseResult parse) => new(parse.GetValue(Server), parse.GetValue(AuthServer), Json.GetValue(parse), parse.GetValue(Limits.Timeout), parse.GetValue(Limits.MaxResponseSize));

    public static DataDispatcherClient Client(DdGlobalOptions g, string? workerId = null)
    {
        // DATA_DISPATCHER_URL / DATA_DISPATCHER_AUTH_URL are read by the library; the options win over them.
        var fromEnvironment = DataDispatcherClientOptions.FromEnvironment();
        return new(fromEnvironment with
        {
            ServerUrl = g.Server ?? fromEnvironment.ServerUrl,
            AuthServerUrl = g.AuthServer ?? fromEnvironment.AuthServerUrl,
            WorkerId = workerId,
            Timeout = HttpLimitOptions.ParseTimeout(g.HttpTimeout) ?? fromEnvironment.Timeout,
            MaxResponseBytes = HttpLimitOptions.ParseSize(g.MaxResponseSize) ?? fromEnvironment.MaxResponseBytes,
        });
    }

    /// <summary>A Spectre console over the command's standard output.</summary>
    public static IAnsiConsole Ansi(CliConsole console)
    {
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(console.Out) });
        if (console.IsOutputRedirected)
        {
            // Piped output: no terminal width to fit, so do not wrap table cells at 80 columns.
            ansi.Profile.Width = 200;
        }

        return ansi;
    }

    /// <summary>Prints JSON written compactly by <paramref name="write"/>, indented for people.</summary>
    public static void WriteJson(CliConsole console, Action<ApiJsonWriter> write) => JsonOutput.WriteIndented(console.Out, write);

    public static void WriteJsonList<T>(CliConsole console, IEnumerable<T> items, Action<ApiJsonWriter, T> write) => JsonOutput.WriteIndentedList(console.Out, items, write);

    public static Dictionary<string, JsonElement> Attributes(IEnumerable<string>? assignments)
    {
        var d = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var a in assignments ?? [])
        {
            var kv = JsonAttributes.ParseAssignment(a);
            d[kv.Key] = kv.Value;
        }

        return d;
    }

    public static string Time(double? unixSeconds) => TimeFormats.UnixUtc(unixSeconds);

    public static string Seconds(double? s) => TimeFormats.Seconds(s);

    /// <summary>A server's text for a Spectre table or markup line: sanitised (<see cref="TerminalText"/>), then markup-escaped.</summary>
    public static string Esc(string? s) => Markup.Escape(TerminalText.Clean(s));

    /// <summary>A server's text for a plain line (<see cref="TerminalText"/>).</summary>
    public static string Plain(string? s) => TerminalText.Clean(s);

    public static long ProjectId(string text)
        => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : throw new FormatException("project id '" + text + "' is not a positive integer");

    public static string? ReadSecret(CliConsole console, bool fromStdin, string prompt) => fromStdin ? console.In.ReadLine() : console.AskSecret(prompt);

    public static void Counts(IAnsiConsole console, Project p)
    {
        var handles = p.FileHandles ?? [];
        var total = handles.Count;
        int Count(HandleState s) => handles.Count(h => h.State == s);
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"files: {total}  initial: {Count(HandleState.Initial)}  reserved: {Count(HandleState.Reserved)}  done: [green]{Count(HandleState.Done)}[/]  failed: [red]{Count(HandleState.Failed)}[/]"));
    }
}
