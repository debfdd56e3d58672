using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Net;
using Toolkit.Runtime.Udp;

namespace Toolkit.Cli;

/// <summary>The <c>toolkit xrdmon</c> command group: XRootD detailed-monitoring capture, decode and live collection.</summary>
internal static class XrdmonCommands
{
    public static Command Create()
    {
        var xrdmon = new Command("xrdmon", "XRootD detailed monitoring (XrdXrootdMon UDP stream): capture, decode, listen, shovel to and collect from a message broker");
        xrdmon.Subcommands.Add(CreateDecode());
        xrdmon.Subcommands.Add(CreateCapture());
        xrdmon.Subcommands.Add(CreateListen());
        xrdmon.Subcommands.Add(XrdmonShovel.Create());
        xrdmon.Subcommands.Add(XrdmonCollect.Create());
        return xrdmon;
    }

    internal static Option<IPEndPoint> UdpOption(bool required) => new("--udp")
    {
        Description = "UDP address to listen on: IPv4:PORT, [IPv6]:PORT, localhost:PORT or *:PORT",
        Required = required,
        CustomParser = result =>
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (UdpDatagramReceiver.TryParseEndpoint(text, out IPEndPoint ep))
            {
                return ep;
            }

            result.AddError($"--udp: '{text}' is not an address with a port (IPv4:PORT, [IPv6]:PORT, localhost:PORT, *:PORT)");
            return null;
        },
    };

    internal static Option<string> FormatOption() => new Option<string>("--format")
    {
        Description = "output format: jsonl (default when output is redirected) or table (default on a terminal)",
        DefaultValueFactory = _ => Console.IsOutputRedirected ? "jsonl" : "table",
    }.AcceptOnlyFromAmong("jsonl", "table");

    private static Command CreateDecode()
    {
        var files = new Argument<string[]>("FILE")
        {
            Description = "capture files (u32 big-endian length + datagram, repeated; - for standard input). Without FILE the real capture embedded in the tool is decoded",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var format = FormatOption();
        var json = CliOptions.Json();
        var events = EventsOption();
        var summaries = SummariesOption();
        var window = WindowOption();
        var command = new Command("decode", "decode XRootD monitoring capture files: one JSON object per record (docs/xrdmon-json.md), or with --events/--summaries the collector's resolved events (docs/xrdmon-json.md, section Collector events)");
        command.Arguments.Add(files);
        command.Options.Add(format);
        json.AddTo(command);
        command.Options.Add(events);
        command.Options.Add(summaries);
        command.Options.Add(window);
        command.SetAction(parse => XrdmonDecode.Run(
            new XrdmonDecodeOptions(parse.GetValue(files) ?? [], Format(parse, format, json), parse.GetValue(events), parse.GetValue(summaries), parse.GetValue(window)),
            CliConsole.System()));
        return command;
    }

    /// <summary><c>--json</c>/<c>-j</c> is <c>--format jsonl</c>.</summary>
    private static string Format(ParseResult parse, Option<string> format, JsonFlag json) => json.GetValue(parse) ? "jsonl" : parse.GetValue(format)!;

    internal static Option<bool> EventsOption() => new("--events") { Description = "write resolved events (and per-file-access summaries) instead of raw records" };

    internal static Option<bool> SummariesOption() => new("--summaries") { Description = "write only the per-file-access summary records" };

    internal static Option<int> WindowOption() => new Option<int>("--window")
    {
        Description = "reorder window per sequence counter, in datagrams (0..127)",
        DefaultValueFactory = _ => 16,
    }.AcceptOnlyFromAmong([.. System.Linq.Enumerable.Range(0, 128).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))]);

    internal static Toolkit.XrdMon.Collector.XrdMonCollectorOptions CollectorOptions(bool summariesOnly, int window) => new()
    {
        Events = !summariesOnly,
        Summaries = true,
        SortWindow = window,
    };

    private static Command CreateListen()
    {
        var udp = UdpOption(required: true);
        var output = new Option<string>("--out") { Description = "where to write JSON lines: a file, or - for standard output (default)", DefaultValueFactory = _ => "-" };
        var format = FormatOption();
        var json = CliOptions.Json();
        var events = EventsOption();
        var summaries = SummariesOption();
        var window = WindowOption();
        var statsEvery = new Option<double>("--stats-every") { Description = "print the counters to standard error every SECONDS (0: only on exit)", DefaultValueFactory = _ => 0 };
        var metrics = XrdmonShovel.MetricsOption();
        var sockets = new Option<int>("--sockets") { Description = "receive on N sockets sharing the port (SO_REUSEPORT, Linux), each with its own thread and collector; a sender always reaches the same one (1-64, default 1)", DefaultValueFactory = _ => 1 };
        var command = new Command("listen", "live collector: receive XRootD monitoring datagrams on a UDP port (IPv4/IPv6), order, resolve and write events as JSON lines; SIGINT/SIGTERM flush and exit");
        command.Options.Add(udp);
        command.Options.Add(output);
        command.Options.Add(format);
        json.AddTo(command);
        command.Options.Add(events);
        command.Options.Add(summaries);
        command.Options.Add(window);
        command.Options.Add(statsEvery);
        command.Options.Add(metrics);
        command.Options.Add(sockets);
        command.SetAction(parse =>
        {
            using var shutdown = new ShutdownSignal();
            return XrdmonListen.Run(
                new XrdmonListenOptions(parse.GetValue(udp)!, parse.GetValue(output)!, Format(parse, format, json), parse.GetValue(summaries), parse.GetValue(window), parse.GetValue(statsEvery), parse.GetValue(metrics), parse.GetValue(sockets)),
                CliConsole.System(), shutdown.Token);
        });
        return command;
    }

    private static Command CreateCapture()
    {
        var udp = UdpOption(required: true);
        var output = new Option<string>("--out") { Description = "capture file to write (- for standard output)", Required = true };
        var command = new Command("capture", "receive monitoring datagrams on a UDP port and write them to a capture container (u32 big-endian length + datagram, repeated); stops cleanly on SIGINT/SIGTERM");
        command.Options.Add(udp);
        command.Options.Add(output);
        command.SetAction(parse =>
        {
            using var shutdown = new ShutdownSignal();
            return XrdmonCapture.Run(new XrdmonCaptureOptions(parse.GetValue(udp)!, parse.GetValue(output)!), CliConsole.System(), shutdown.Token);
        });
        return command;
    }
}
